/** One JSON line per figure on stdout (`npm run bench`), with its target and whether it was met. */

export interface Figure {
  name: string;
  value: number | null;
  unit: string;
  target: number | null;
  met: boolean | null;
  note?: string;
}

export const print = (f: Figure): void => void process.stdout.write(`${JSON.stringify(f)}\n`);
const round = (n: number) => Math.round(n * 10) / 10;

export const figure = (name: string, value: number, unit: string, target: number | null, note?: string): Figure => ({
  name,
  value: round(value),
  unit,
  target,
  met: target === null ? null : value <= target,
  ...(note ? { note } : {}),
});

export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

export const median = (xs: number[]): number => pct(xs, 50);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
