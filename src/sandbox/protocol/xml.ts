// Tiny XML writer shared by the restXml and awsQuery services: values escaped, empty ones omitted.

export function esc(v: unknown): string {
  return String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** <name>escaped value</name>, or '' when the value is undefined or null. */
export function el(name: string, value: unknown): string {
  return value === undefined || value === null ? '' : `<${name}>${esc(value)}</${name}>`;
}

/** <name>already-built children</name>. */
export function wrap(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
