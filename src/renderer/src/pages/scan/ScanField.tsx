import { TextInput } from '@mantine/core';
import type { FormEvent, Ref } from 'react';

/** The scanner's field: a barcode or item number, Enter looks it up (Scan and Count share it). */
export function ScanField(props: {
  value: string;
  onChange: (value: string) => void;
  onSubmit: (e: FormEvent) => void;
  inputRef: Ref<HTMLInputElement>;
  error?: string;
}) {
  return (
    <form onSubmit={props.onSubmit}>
      <TextInput
        ref={props.inputRef}
        label="Barcode or item number"
        description="Scan, or type and press Enter"
        value={props.value}
        error={props.error}
        autoComplete="off"
        autoFocus
        onChange={(e) => props.onChange(e.currentTarget.value)}
      />
    </form>
  );
}
