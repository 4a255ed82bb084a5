import type { KeyboardEvent } from 'react';

/**
 * For a Select in a form: Enter on a closed Select saves the form, as in any other field.
 * Mantine's Select opens its list on Enter instead, so the clerk could never save from it.
 * Used as `onKeyDownCapture` on a wrapper, so it runs before the Select's own handler.
 */
export function enterSubmitsForm(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
  const target = event.target as HTMLElement;
  // Only a Select's target; buttons and text fields keep their own Enter.
  if (target.getAttribute('aria-haspopup') !== 'listbox') return;
  // An open list gets Enter to pick its option.
  if (target.getAttribute('aria-expanded') === 'true' || target.hasAttribute('data-expanded')) return;
  const form = target.closest('form');
  if (!form) return;
  event.preventDefault();
  event.stopPropagation();
  form.requestSubmit();
}
