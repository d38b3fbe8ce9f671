// Scenario transcripts: one line per step, `<step> -> <outcome>`. Ids and times differ from run
// to run, so they are replaced by placeholders numbered in order of first appearance before two
// transcripts are compared.

const RFC3339 = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})/g;
// Scenarios print every job id as `job=<id>` and every execution id as `exec=<id>`.
const JOB_ID = /\bjob=([^\s,;)]+)/g;
const EXEC_ID = /\bexec=([^\s,;)]+)/g;

/**
 * Replaces job ids (`job=…`), execution ids (`exec=…`) and RFC 3339 timestamps with `<job-N>`,
 * `<exec-N>` and `<time-N>`, numbered by first appearance, so that two runs that did the same
 * things read the same. Trailing white space and blank lines are dropped.
 */
export function normaliseTranscript(text: string): string {
  const placeholders = (kind: string) => {
    const seen = new Map<string, string>();
    return (value: string): string => {
      let name = seen.get(value);
      if (name === undefined) {
        name = `<${kind}-${seen.size + 1}>`;
        seen.set(value, name);
      }
      return name;
    };
  };
  const job = placeholders('job');
  const exec = placeholders('exec');
  const time = placeholders('time');
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .map((line) =>
      line
        .replace(JOB_ID, (_, id: string) => `job=${job(id)}`)
        .replace(EXEC_ID, (_, id: string) => `exec=${exec(id)}`)
        .replace(RFC3339, (t) => time(t)),
    )
    .join('\n');
}

/**
 * A line diff of two texts (`-` only in `expected`, `+` only in `actual`, two spaces for common
 * lines), or '' when they are equal.
 */
export function diffLines(expected: string, actual: string, labels = { expected: 'expected', actual: 'actual' }): string {
  if (expected === actual) return '';
  const a = expected.split('\n');
  const b = actual.split('\n');
  // Longest common subsequence, by dynamic programming: transcripts are a few dozen lines.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out = [`--- ${labels.expected}`, `+++ ${labels.actual}`];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push(`- ${a[i++]}`);
    } else {
      out.push(`+ ${b[j++]}`);
    }
  }
  return out.join('\n');
}
