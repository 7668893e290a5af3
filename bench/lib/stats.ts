// Small numeric helpers for the benchmarks: medians (the machine is noisy; one run proves nothing).

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function ms(n: number): string {
  return Number.isFinite(n) ? `${Math.round(n)} ms` : 'n/a';
}

export function ratio(n: number): string {
  return Number.isFinite(n) ? `${n.toFixed(2)}x` : 'n/a';
}
