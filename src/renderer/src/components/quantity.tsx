import { TextInput, type TextInputProps } from '@mantine/core';
import type { Ref } from 'react';
import { formatInLocale, parseTypedNumber, type TypedNumber } from '../../../shared/numbers';

/** The UI's language: numbers are read and shown back in it (de-DE: "1.000" is one thousand). */
export function uiLocale(): string {
  return typeof navigator === 'undefined' ? 'en-US' : navigator.language || 'en-US';
}

/** What the clerk typed in a number field, read in the UI's locale (shared/numbers.ts). */
export function readNumber(text: string): TypedNumber {
  return parseTypedNumber(text, uiLocale());
}

/**
 * "reads as 1,000": shown beside the field while the typed text holds a separator, so a number
 * that reads differently in another language ("1.000") is seen as it will post, before it posts.
 */
export function readBack(text: string): string | null {
  const read = readNumber(text);
  return read.ok && read.readBack ? `reads as ${formatInLocale(read.value, uiLocale())}` : null;
}

/**
 * A quantity field for every entry screen: text, never a number input (that one strips letters,
 * so a scan landing here, "D0007", became 7, and a UPC became billions). The value is read with
 * `readNumber` when the line is posted; letters and scan-like numbers are refused in words there.
 */
export function QuantityField(
  props: Omit<TextInputProps, 'value' | 'onChange'> & {
    value: string;
    onChange: (value: string) => void;
    inputRef?: Ref<HTMLInputElement>;
  },
) {
  const { value, onChange, inputRef, description, ...rest } = props;
  const said = readBack(value);
  return (
    <TextInput
      {...rest}
      ref={inputRef}
      value={value}
      inputMode="decimal"
      autoComplete="off"
      onChange={(e) => onChange(e.currentTarget.value)}
      description={said ? <span data-testid="quantity-read-back">{said}</span> : description}
    />
  );
}
