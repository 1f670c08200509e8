/** Severities as the models number them: 0 = P1 (critical) … 3 = P4 (minor). */
export const SEVERITY_LABELS = ['P1', 'P2', 'P3', 'P4'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

export function severityIndex(label: string): number {
  const index = SEVERITY_LABELS.indexOf(label as SeverityLabel);
  if (index < 0) throw new Error(`Not a severity: ${label}`);
  return index;
}
