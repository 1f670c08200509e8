/** Times in the viewer's own time zone. */
export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** "in 1 h 05 min", "12 min ago" */
export function formatDistance(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.floor(abs / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const text = d
    ? `${d} d ${h} h`
    : h
      ? `${h} h ${String(m).padStart(2, '0')} min`
      : m
        ? `${m} min ${String(sec).padStart(2, '0')} s`
        : `${sec} s`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** A duration in seconds as people read it: "45 s", "12 min", "2 h 05 min", "3 d 4 h"; "—" when there is none. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds == null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

/** A rate in [0, 1] as a percentage; "—" when there is nothing to divide. */
export function formatRate(rate: number | null | undefined): string {
  return rate == null ? '—' : percent(rate);
}
