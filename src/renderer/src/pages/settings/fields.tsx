import { NumberInput, PasswordInput, Switch, TextInput } from '@mantine/core';
import type { SettingsDraft, SettingsErrors, SettingsField } from './settings-form';

export interface FieldContext {
  draft: SettingsDraft;
  errors: SettingsErrors;
  set: (field: SettingsField, value: string | number | boolean) => void;
  /**
   * Whether the person signed in may change this field: `why` is said beside a field another
   * role than the page's needs (the connection is an administrator's).
   */
  locked: (field: SettingsField) => { disabled: boolean; why: string | null };
}

/** The field's help, and why it cannot be changed when that is not the page's own reason. */
function helpOf(ctx: FieldContext, field: SettingsField, help: string): string {
  const { why } = ctx.locked(field);
  return why ? `${help} ${why}` : help;
}

interface Common {
  ctx: FieldContext;
  field: SettingsField;
  label: string;
  help: string;
  placeholder?: string;
}

/** A placeholder is an example, never taken for a value: it says so ("e.g. 20:00"). */
function example(placeholder: string | undefined): string | undefined {
  return placeholder === undefined || /^e\.g\. /.test(placeholder) ? placeholder : `e.g. ${placeholder}`;
}

export function TextSetting({ ctx, field, label, help, placeholder }: Common) {
  return (
    <TextInput
      label={label}
      description={helpOf(ctx, field, help)}
      disabled={ctx.locked(field).disabled}
      placeholder={example(placeholder)}
      value={String(ctx.draft[field])}
      onChange={(e) => ctx.set(field, e.currentTarget.value)}
      error={ctx.errors[field]}
      autoComplete="off"
      spellCheck={false}
    />
  );
}

export function NumberSetting({ ctx, field, label, help, min, max }: Common & { min: number; max: number }) {
  return (
    <NumberInput
      label={label}
      description={helpOf(ctx, field, help)}
      disabled={ctx.locked(field).disabled}
      value={ctx.draft[field] as number | string}
      onChange={(v) => ctx.set(field, v)}
      error={ctx.errors[field]}
      min={min}
      max={max}
      allowDecimal={false}
      allowNegative={false}
      thousandSeparator={false}
      clampBehavior="none"
    />
  );
}

export function SwitchSetting({ ctx, field, label, help }: Common) {
  return (
    <Switch
      label={label}
      description={helpOf(ctx, field, help)}
      disabled={ctx.locked(field).disabled}
      checked={Boolean(ctx.draft[field])}
      onChange={(e) => ctx.set(field, e.currentTarget.checked)}
      error={ctx.errors[field]}
    />
  );
}

/** Write-only: the page never receives the stored secret, only whether there is one. */
export function SecretSetting({ ctx, field, label, help, stored }: Common & { stored: boolean }) {
  return (
    <PasswordInput
      label={label}
      description={helpOf(ctx, field, help)}
      disabled={ctx.locked(field).disabled}
      placeholder={stored ? 'A secret is stored: type a new one to replace it' : 'No secret stored yet'}
      value={String(ctx.draft[field])}
      onChange={(e) => ctx.set(field, e.currentTarget.value)}
      error={ctx.errors[field]}
      autoComplete="new-password"
    />
  );
}
