import type { SyncWindow } from '../../shared/settings';

/** Whether `now` (the store's local time of day) falls in the Fno sync window; no window = all day. */
export function inSyncWindow(window: SyncWindow | null, now: Date): boolean {
  if (window === null) return true;
  const hhmm = `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
  return hhmm >= window.start && hhmm < window.end;
}
