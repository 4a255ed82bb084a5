import { Group, Input, Kbd, UnstyledButton } from '@mantine/core';
import { type KeyboardEvent, useRef } from 'react';
import type { ReasonCode } from '../../../shared/reasons';

export interface ReasonPickerProps {
  reasons: readonly ReasonCode[];
  /** The code chosen, or '' for none. */
  value: string;
  onChange: (code: string) => void;
  required: boolean;
  error?: string | undefined;
  inputRef?: (el: HTMLDivElement | null) => void;
  /** Enter here does what Enter does on the form (post, or record). */
  onEnter?: () => void;
}

/** The keys that choose: 1–9 the first nine active codes, 0 none. */
export const REASON_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Keys closer together than this are a scanner's burst, not a person's press. */
const BURST_MS = 50;

/**
 * The reason, chosen in one key: Tab to it, then a digit (1–9 the store's codes in order, 0 none);
 * the arrows step through them. A scan never lands in it: a scanner types a whole code in a few
 * milliseconds, so keys that follow each other faster than a person presses are a burst, which
 * puts back the reason chosen before it and whose Enter does nothing. The chosen code is
 * remembered with the form's other values.
 */
export function ReasonPicker(props: ReasonPickerProps) {
  const { reasons, value, onChange, required, error, inputRef, onEnter } = props;
  const active = reasons.filter((r) => r.active).slice(0, REASON_KEYS.length);
  const index = active.findIndex((r) => r.code === value);
  const choose = (code: string) => onChange(code);
  /** When the last key came, and the reason before the keys that followed it closely. */
  const last = useRef({ at: 0, before: value });
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.key === 'Tab' || e.key === 'Shift') return;
    const now = e.timeStamp;
    const burst = now - last.current.at < BURST_MS;
    if (!burst) last.current.before = value;
    last.current.at = now;
    if (burst) {
      // A scanner, not a person: nothing it typed counts, and the reason is what it was.
      e.preventDefault();
      if (value !== last.current.before) choose(last.current.before);
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      onEnter?.();
      return;
    }
    const digit = Number(e.key);
    if (/^\d$/.test(e.key)) {
      e.preventDefault();
      if (digit === 0) choose('');
      else if (active[digit - 1]) choose(active[digit - 1]!.code);
      return;
    }
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown' || e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1;
      // -1 is "none": the arrows walk none, 1, 2, … and round again.
      const next = ((index + 1 + step + active.length + 1) % (active.length + 1)) - 1;
      choose(next < 0 ? '' : active[next]!.code);
      return;
    }
    if (e.key.length === 1) e.preventDefault();
  };
  const chosen = active[index];
  return (
    <Input.Wrapper
      label="Reason"
      withAsterisk={required}
      description={`Press 1–${Math.max(active.length, 1)} to choose, 0 for none`}
      error={error}
    >
      <Group
        gap={6}
        mt={4}
        role="radiogroup"
        aria-label="Reason"
        aria-required={required}
        aria-invalid={error ? true : undefined}
        aria-activedescendant={chosen ? `reason-${chosen.code}` : 'reason-none'}
        tabIndex={0}
        ref={inputRef}
        onKeyDown={onKeyDown}
        data-testid="reason-picker"
        style={{ outlineOffset: 2, borderRadius: 4 }}
      >
        <Option id="reason-none" label="None" shortcut="0" checked={index < 0} onPick={() => choose('')} />
        {active.map((r, i) => (
          <Option
            key={r.code}
            id={`reason-${r.code}`}
            label={r.words}
            shortcut={REASON_KEYS[i]!}
            checked={i === index}
            onPick={() => choose(r.code)}
          />
        ))}
      </Group>
    </Input.Wrapper>
  );
}

function Option(props: {
  id: string;
  label: string;
  shortcut: string;
  checked: boolean;
  onPick: () => void;
}) {
  return (
    <UnstyledButton
      id={props.id}
      role="radio"
      aria-checked={props.checked}
      tabIndex={-1}
      onClick={props.onPick}
      px={8}
      py={2}
      style={{
        borderRadius: 4,
        border: '1px solid var(--mantine-color-default-border)',
        background: props.checked ? 'var(--mantine-primary-color-filled)' : undefined,
        color: props.checked ? 'var(--mantine-primary-color-contrast)' : undefined,
        fontSize: 'var(--mantine-font-size-sm)',
      }}
    >
      <Kbd size="xs" mr={4}>
        {props.shortcut}
      </Kbd>
      {props.label}
    </UnstyledButton>
  );
}
