import {
  Autocomplete,
  Button,
  Fieldset,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconDimensions } from '@tabler/icons-react';
import type { ReasonCode } from '../../../../shared/reasons';
import type { Suggestions } from '../../../../shared/rpc';
import { QuantityField } from '../../components/quantity';
import { ReasonPicker } from '../../components/ReasonPicker';
import { DimensionsEditor, newDimensionRow } from './DimensionsEditor';
import { type FormErrors, type FormValues, REFERENCE_CATEGORIES, suggestionList } from './form-model';
import { itemHintText, useItemHint } from './item-hint';

type Setter = <K extends keyof FormValues>(key: K, value: FormValues[K]) => void;

export interface EntryFieldsProps {
  values: FormValues;
  errors: FormErrors;
  set: Setter;
  register: (field: string) => (el: HTMLInputElement | null) => void;
  suggestions: Suggestions | undefined;
  showDimensions: boolean;
  onToggleDimensions: () => void;
  /** The store's reason codes, and whether a line must name one. */
  reasons: readonly ReasonCode[];
  reasonRequired: boolean;
}

/** The fields of Microsoft's Create transaction form (its Step 1), in its order. */
export function EntryFields(props: EntryFieldsProps) {
  const { values, errors, set, register, suggestions, showDimensions, onToggleDimensions } = props;
  const item = itemHintText(useItemHint(values.organizationId, values.productId));
  const text = (key: keyof FormValues & string) => ({
    value: values[key] as string,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(key, e.currentTarget.value as never),
    error: errors[key],
    ref: register(key),
  });
  const auto = (key: keyof FormValues & string, data: string[]) => ({
    value: values[key] as string,
    onChange: (v: string) => set(key, v as never),
    error: errors[key],
    ref: register(key),
    data,
    autoComplete: 'off',
  });
  return (
    <Stack gap="md">
      <Fieldset legend="Transaction">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Transaction type"
            data={[{ value: 'adjustment', label: 'Inventory adjustment' }]}
            value="adjustment"
            allowDeselect={false}
            tabIndex={-1}
            description="The only type today"
          />
          <Autocomplete
            label="Organization"
            description="SCM legal entity (dataAreaId)"
            withAsterisk
            {...auto('organizationId', suggestionList(suggestions?.organizations ?? []))}
          />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend="Product and dimensions">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Product"
            description={
              item ? (
                <span data-testid="item-hint" style={item.caution ? { fontWeight: 600 } : undefined}>
                  {item.text}
                </span>
              ) : (
                'Item number; scan it'
              )
            }
            withAsterisk
            autoFocus
            {...text('productId')}
          />
          <TextInput label="Site" description="Site ID" withAsterisk {...text('siteId')} />
          <TextInput label="Warehouse" description="Location ID" withAsterisk {...text('locationId')} />
          <TextInput label="Colour" {...text('colorId')} />
          <TextInput label="Size" {...text('sizeId')} />
          <TextInput label="Style" {...text('styleId')} />
        </SimpleGrid>
        <Button
          mt="sm"
          variant="subtle"
          size="xs"
          leftSection={<IconDimensions size={14} />}
          onClick={() => {
            if (!showDimensions && values.extraDimensions.length === 0)
              set('extraDimensions', [newDimensionRow()]);
            onToggleDimensions();
          }}
          aria-expanded={showDimensions}
        >
          Edit dimensions
          {values.extraDimensions.length > 0 ? ` (${values.extraDimensions.length})` : ''}
        </Button>
        {errors.dimensions && (
          <Text c="var(--mantine-color-error)" size="sm" role="alert">
            Dimensions {errors.dimensions}
          </Text>
        )}
        {showDimensions && (
          <Stack mt="xs" gap="xs">
            <DimensionsEditor
              rows={values.extraDimensions}
              errors={errors}
              onChange={(rows) => set('extraDimensions', rows)}
            />
          </Stack>
        )}
      </Fieldset>

      <Fieldset legend="Quantity">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Autocomplete
            label="Data source"
            description="IV data source, e.g. @iv or pos"
            withAsterisk
            {...auto('quantityDataSource', suggestionList(suggestions?.dataSources ?? [], ['@iv']))}
          />
          <Autocomplete
            label="Physical measure"
            description="e.g. adjustment; mapped under Settings"
            withAsterisk
            {...auto('physicalMeasure', suggestionList(suggestions?.physicalMeasures ?? [], ['adjustment']))}
          />
          {/* A text field, not a NumberInput: that one strips letters, so a scan landing here
              ("D0009") became 9, and it kept a typed "007" after the form reset. Read in the UI's
              language, and read back while a separator makes it worth seeing ("1.000"). */}
          <QuantityField
            label="Quantity"
            description="Signed change: -3 takes three out"
            withAsterisk
            value={values.quantity}
            onChange={(v) => set('quantity', v)}
            error={errors.quantity}
            inputRef={register('quantity')}
          />
        </SimpleGrid>
        {(props.reasons.some((r) => r.active) || props.reasonRequired) && (
          <div style={{ marginTop: 'var(--mantine-spacing-md)' }}>
            <ReasonPicker
              reasons={props.reasons}
              value={values.reasonCode}
              onChange={(code) => set('reasonCode', code)}
              required={props.reasonRequired}
              error={errors.reasonCode}
              inputRef={register('reasonCode') as (el: HTMLDivElement | null) => void}
              onEnter={() => (document.activeElement as HTMLElement | null)?.closest('form')?.requestSubmit()}
            />
          </div>
        )}
        <Switch
          mt="md"
          label="Instant update to IV service"
          description="Send this line to Inventory Visibility now, whatever the periodic setting"
          checked={values.instantIvSync}
          onChange={(e) => set('instantIvSync', e.currentTarget.checked)}
        />
      </Fieldset>

      <Fieldset legend="Additional information (optional)">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Autocomplete
            label="External reference category"
            description="Source transaction type; pick one or type your own"
            {...auto(
              'externalReferenceCategory',
              suggestionList(REFERENCE_CATEGORIES, suggestions?.externalReferenceCategories ?? []),
            )}
          />
          <TextInput
            label="External reference ID"
            description="Source document ID"
            {...text('externalReferenceId')}
          />
          <Autocomplete
            label="Journal name"
            description="SCM journal name; blank uses SCM's default"
            {...auto('fnoJournalNameId', suggestionList(suggestions?.journalNames ?? []))}
          />
          <QuantityField
            label="Cost price"
            description="Unit cost; blank lets SCM calculate it"
            value={values.costPrice}
            onChange={(v) => set('costPrice', v)}
            error={errors.costPrice}
            inputRef={register('costPrice')}
          />
          <DateInput
            label="Trans date"
            description="Date of the SCM journal line; blank is today"
            valueFormat="YYYY-MM-DD"
            placeholder="today"
            clearable
            value={values.transDate}
            onChange={(v) => set('transDate', v)}
            error={errors.transDate}
            ref={register('transDate')}
          />
        </SimpleGrid>
      </Fieldset>
    </Stack>
  );
}
