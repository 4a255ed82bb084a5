import { Alert, Button, Group, Kbd, Stack, Text, Title } from '@mantine/core';
import { IconCode, IconSend } from '@tabler/icons-react';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { EntryWarning } from '../../../../shared/master-data';
import type { Suggestions } from '../../../../shared/rpc';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { isRpcError } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';
import { EntryCautions } from '../scan/EntryCautions';
import { DeveloperReferenceModal } from './DeveloperReferenceModal';
import { EntryFields } from './EntryFields';
import {
  FIELD_ORDER,
  type FormErrors,
  type FormValues,
  initialForm,
  mapFieldErrors,
  nextForm,
  toLine,
  validate,
} from './form-model';
import { type PostedLine, PostedPanel } from './PostedPanel';

const newId = () => crypto.randomUUID();

function bringsNewValue(v: FormValues, s: Suggestions | undefined): boolean {
  if (!s) return true;
  const has = (list: string[], value: string) => value.trim() === '' || list.includes(value.trim());
  return !(
    has(s.organizations, v.organizationId) &&
    has(s.dataSources, v.quantityDataSource) &&
    has(s.physicalMeasures, v.physicalMeasure) &&
    has(s.journalNames, v.fnoJournalNameId) &&
    has(s.externalReferenceCategories, v.externalReferenceCategory) &&
    s.last?.siteId === v.siteId.trim() &&
    s.last?.locationId === v.locationId.trim() &&
    s.last?.organizationId === v.organizationId.trim()
  );
}

/**
 * The seed's Step 1, keyboard first: Enter posts; after a post focus returns to Product
 * with the shared values kept. A scan's Enter with no quantity yet moves on to Quantity.
 */
export function CreateTransactionPage() {
  const suggestions = useRpc('suggestions.get', {});
  const settings = useRpc('settings.get', {});
  const [values, setValues] = useState<FormValues | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [posting, setPosting] = useState(false);
  const [posted, setPosted] = useState<PostedLine[]>([]);
  const [cautions, setCautions] = useState<EntryWarning[]>([]);
  const [showDimensions, setShowDimensions] = useState(false);
  const [showReference, setShowReference] = useState(false);
  // One id per entry: a resend after a lost answer is recognised, not recorded twice.
  const [lineId, setLineId] = useState(newId);
  const fields = useRef(new Map<string, HTMLInputElement>());

  useEffect(() => {
    if (values || suggestions.loading || settings.loading) return;
    setValues(initialForm(suggestions.data, settings.data?.defaultOrganizationId ?? null));
  }, [values, suggestions.loading, suggestions.data, settings.loading, settings.data]);

  const register = useCallback(
    (field: string) => (el: HTMLInputElement | null) => {
      if (el) fields.current.set(field, el);
      else fields.current.delete(field);
    },
    [],
  );
  const focus = (field: string) => {
    const el = fields.current.get(field);
    el?.focus();
    el?.select?.();
  };
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((v) => (v ? { ...v, [key]: value } : v));
    setErrors((e) => (e[key] ? { ...e, [key]: undefined } : e));
  };

  const showErrors = (found: FormErrors) => {
    setErrors(found);
    const first = FIELD_ORDER.find((f) => found[f]);
    if (first) focus(first);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!values || posting) return;
    const found = validate(values, lineId);
    const fromProduct = document.activeElement === fields.current.get('productId');
    const onlyQuantityMissing =
      Object.keys(found).filter((k) => found[k]).length === 1 && found.quantity && values.quantity === '';
    if (fromProduct && onlyQuantityMissing) {
      focus('quantity');
      return;
    }
    if (Object.values(found).some(Boolean)) return showErrors(found);
    setPosting(true);
    setFailure(null);
    try {
      const result = await rpc('lines.create', {
        line: toLine(values, lineId),
        instantIvSync: values.instantIvSync,
      });
      setPosted((p) =>
        [
          {
            ...result,
            productId: values.productId.trim(),
            quantity: Number(values.quantity),
            where: `${values.organizationId} / ${values.siteId} / ${values.locationId}`,
            at: new Date(),
          },
          ...p,
        ].slice(0, 20),
      );
      setCautions(result.warnings);
      setValues(nextForm(values));
      setErrors({});
      setLineId(newId());
      // Suggestions scan the ledger: ask again only when this line brought a value they lack.
      if (bringsNewValue(values, suggestions.data)) suggestions.reload();
      setTimeout(() => focus('productId'));
    } catch (error) {
      const byField = isRpcError(error) ? mapFieldErrors(error.errors, values) : {};
      if (Object.keys(byField).length > 0) showErrors(byField);
      if (!isRpcError(error) || error.code !== 'invalid_input' || byField.form) setFailure(error);
      if (isRpcError(error) && error.code === 'conflict') setLineId(newId());
    } finally {
      setPosting(false);
    }
  };

  if (!values) return <Text c="dimmed">Loading…</Text>;
  const disabled = settings.data && !settings.data.enableFeature;
  return (
    <Stack maw={980}>
      <Group justify="space-between">
        <Title order={2}>Create transaction</Title>
        <Text size="sm" c="dimmed">
          <Kbd>Enter</Kbd> posts · <Kbd>Tab</Kbd> moves on
        </Text>
      </Group>
      {disabled && (
        <Alert color="yellow" title="Enable feature is off">
          Store Ledger refuses new lines until Enable feature is switched on under Settings.
        </Alert>
      )}
      <PostedPanel posted={posted} />
      <EntryCautions warnings={cautions} />
      <form onSubmit={submit} noValidate aria-label="Create transaction">
        <Stack>
          <EntryFields
            values={values}
            errors={errors}
            set={set}
            register={register}
            suggestions={suggestions.data}
            showDimensions={showDimensions}
            onToggleDimensions={() => setShowDimensions((s) => !s)}
          />
          <ErrorAlert error={failure} title="Not posted" />
          <Group>
            <Button type="submit" leftSection={<IconSend size={16} />} loading={posting}>
              Post
            </Button>
            <Button
              variant="default"
              leftSection={<IconCode size={16} />}
              onClick={() => setShowReference(true)}
            >
              Developer reference
            </Button>
            <Button
              variant="subtle"
              color="gray"
              onClick={() => {
                setValues(initialForm(suggestions.data, settings.data?.defaultOrganizationId ?? null));
                setErrors({});
                focus('productId');
              }}
            >
              Clear
            </Button>
          </Group>
        </Stack>
      </form>
      <DeveloperReferenceModal
        opened={showReference}
        onClose={() => setShowReference(false)}
        line={toLine(values, lineId)}
        instant={values.instantIvSync}
      />
    </Stack>
  );
}
