// DNS names as Route 53 treats them. Route 53 takes a name with or without the trailing dot as the
// same fully qualified name, stores letters in lower case however they were written, and returns
// characters outside a-z, 0-9, '-' and '_' (the wildcard '*' among them) as \three-digit octal
// escapes: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html and
// ResourceRecordSet.Name in node_modules/@aws-sdk/client-route-53/dist-types/models/models_0.d.ts.

/** The name with the trailing dot Route 53 puts on every name it returns. */
export function withTrailingDot(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** The form two names are compared in: lower case, trailing dot, octal escapes decoded (\052 is *). */
export function canonicalDnsName(name: string): string {
  const decoded = name.trim().replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return withTrailingDot(decoded.toLowerCase());
}

/** The form Route 53 stores and returns: lower case, trailing dot, other characters escaped (* is \052). */
export function route53DnsName(name: string): string {
  return canonicalDnsName(name).replace(/[^a-z0-9\-_.]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}
