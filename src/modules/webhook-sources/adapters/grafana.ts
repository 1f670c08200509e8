import type { NormalizedAlert } from '../normalized-alert.js';
import { adaptAlertGroup } from './prometheus-style.js';

/**
 * Grafana (unified) alerting's webhook contact point: Alertmanager's shape plus Grafana's fields (`values`,
 * `valueString`, `dashboardURL`, `panelURL`, `orgId`, `title`, `message`). The evaluated values go into the
 * description, where responders look first.
 */
export function adaptGrafana(payload: unknown): NormalizedAlert[] {
  return adaptAlertGroup(payload, {
    extraLines: (alert) => {
      const lines: string[] = [];
      const values = alert.values;
      if (values && typeof values === 'object' && !Array.isArray(values) && Object.keys(values).length) {
        lines.push(
          `Values: ${Object.entries(values)
            .map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 1000) / 1000 : String(v)}`)
            .join(', ')}`,
        );
      } else if (typeof alert.valueString === 'string' && alert.valueString.trim()) {
        lines.push(`Values: ${alert.valueString.trim()}`);
      }
      if (typeof alert.dashboardURL === 'string' && alert.dashboardURL) lines.push(`Dashboard: ${alert.dashboardURL}`);
      return lines;
    },
  });
}
