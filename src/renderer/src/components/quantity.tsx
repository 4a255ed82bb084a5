import { TextInput, type TextInputProps } from '@mantine/core';
import type { Ref } from 'react';
import { readNumber, uiLocale } from './locale';

export { readNumber, readQuantity, uiLocale } from './locale';

/**
 * "reads as 1000": shown under the field while the typed text holds a separator, so a number
 * that reads differently in another language ("1.000") is seen as it will post, before it posts.
 * Written without grouping: "1.000" read back as "1.000" would leave the doubt where it was.
 */
export function readBack(text: string): string | null {
  const read = readNumber(text);
  if (!read.ok || !read.readBack) return null;
  const said = new Intl.NumberFormat(uiLocale(), { maximumFractionDigits: 6, useGrouping: false });
  return `reads as ${said.format(read.value)}`;
}

/**
 * A quantity field for every entry screen: text, never a number input (that one strips letters,
 * so a scan landing here, "D0007", became 7, and a UPC became billions). The value is read with
 * `readQuantity` when the line is posted; letters and scan-like numbers are refused in words there.
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
