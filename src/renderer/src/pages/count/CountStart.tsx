import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useEffect, useState } from 'react';
import type { CountView } from '../../../../shared/counts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { isRpcError } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';
import { EntryCautions } from '../scan/EntryCautions';

type Head = { reference: string; organizationId: string; siteId: string; locationId: string };

/**
 * A count's start: its reference and where it is taken. The organization is the store's default
 * (as on Create); the site and warehouse are cautioned about before anything is counted, and the
 * texts are judged by the one text rule when the count starts (errors name the field).
 */
export function CountStart({ onStarted }: { onStarted: (count: CountView) => void }) {
  const settings = useRpc('settings.get', {});
  const [head, setHead] = useState<Head>({ reference: '', organizationId: '', siteId: '', locationId: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [place] = useDebouncedValue(head, 300);
  const cautions = useRpc(
    'masterData.checkPlace',
    place.organizationId.trim() !== '' && (place.siteId.trim() !== '' || place.locationId.trim() !== '')
      ? { organizationId: place.organizationId, siteId: place.siteId, locationId: place.locationId }
      : null,
  );

  useEffect(() => {
    if (head.organizationId === '' && settings.data?.defaultOrganizationId)
      setHead((h) => ({ ...h, organizationId: settings.data!.defaultOrganizationId! }));
  }, [head.organizationId, settings.data]);

  const field = (key: keyof Head, label: string) => ({
    label,
    value: head[key],
    error: errors[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setHead((h) => ({ ...h, [key]: value }));
      setErrors((found) => ({ ...found, [key]: '' }));
    },
  });

  const start = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    rpc('counts.create', {
      ...head,
      organizationId: head.organizationId.trim() === '' ? null : head.organizationId,
    })
      .then(onStarted)
      .catch((error: unknown) => {
        const byField = isRpcError(error) ? error.byField() : {};
        if (Object.keys(byField).length > 0) setErrors(byField);
        else setFailure(error);
      });
  };

  return (
    <form onSubmit={start} aria-label="Start a count">
      <Stack gap="xs">
        <Group align="flex-start" grow>
          <TextInput autoFocus {...field('reference', 'Count reference')} />
          <TextInput {...field('organizationId', 'Organization')} />
          <TextInput {...field('siteId', 'Site')} />
          <TextInput {...field('locationId', 'Warehouse')} />
        </Group>
        <EntryCautions warnings={cautions.data ?? []} suffix=". You can still count there." />
        <ErrorAlert error={failure} title="Not started" />
        <Button type="submit" w="fit-content">
          Start count
        </Button>
      </Stack>
    </form>
  );
}
