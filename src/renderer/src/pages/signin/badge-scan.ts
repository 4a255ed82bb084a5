import { useEffect, useRef } from 'react';

/**
 * A badge scanner is a keyboard that types the barcode at machine speed and presses Enter. A
 * burst of at least 4 characters typed on average under 35 ms apart (no pause over 100 ms) and
 * ended by Enter is taken as a scan wherever the focus is on the screen; a person typing a PIN
 * is several times slower. The scan's Enter submits nothing else, unless `onBadge` answers false
 * (not a badge here: a product scanned into a field, whose Enter the field needs).
 */
const MIN_LENGTH = 4;
const MEAN_GAP_MS = 35;
const PAUSE_MS = 100;

export function useBadgeScan(onBadge: (code: string) => boolean | undefined): void {
  const callback = useRef(onBadge);
  callback.current = onBadge;
  useEffect(() => {
    let chars = '';
    let first = 0;
    let last = 0;
    const onKey = (e: KeyboardEvent) => {
      const at = e.timeStamp;
      if (e.key === 'Enter') {
        const code = chars;
        const mean = code.length > 1 ? (last - first) / (code.length - 1) : Number.POSITIVE_INFINITY;
        chars = '';
        if (code.length >= MIN_LENGTH && mean <= MEAN_GAP_MS && at - last <= PAUSE_MS) {
          if (callback.current(code) === false) return;
          e.preventDefault();
          e.stopPropagation();
        }
        return;
      }
      if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) {
        chars = '';
        return;
      }
      if (chars === '' || at - last > PAUSE_MS) {
        chars = e.key;
        first = at;
      } else chars += e.key;
      last = at;
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
}
