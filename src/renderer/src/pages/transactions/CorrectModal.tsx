import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { formatInLocale } from '../../../../shared/numbers';
import type { DetailedLine } from '../../../../shared/views';
import { rpcApproved, useManagerApproval } from '../../components/ApprovalModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { dimensionLabel, formatNumber } from '../../components/format';
import { QuantityField, readNumber, uiLocale } from '../../components/quantity';
import { rpc } from '../../rpc/client';
import { isRpcError } from '../../rpc/errors';
import { navigate } from '../../state/router';

/** Site and warehouse as the Create form names them, so a clerk finds the same words. */
const label = (name: string) =>
  name === 'siteId' ? 'Site' : name === 'locationId' ? 'Warehouse' : dimensionLabel(name);
const ORDER = (name: string) => (name === 'siteId' ? 0 : name === 'locationId' ? 1 : 2);

/**
 * Correct: posts the line's reversing line and, when the clerk asks, the line that
 * should have been recorded (the same item, with the quantity and place edited here), in one
 * step and one transaction: a line recorded at the wrong site is fixed at once. The replacing
 * line is a new entry, so a large quantity is asked about, as on Create.
 */
export function CorrectModal(props: { line: DetailedLine | null; onClose: () => void; onDone: () => void }) {
  const { line } = props;
  const [replace, setReplace] = useState(false);
  const [quantity, setQuantity] = useState('');
  const [dimensions, setDimensions] = useState<[string, string][]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  // The pipeline's question about a large quantity, answered by posting again.
  const [question, setQuestion] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Another person's line, or a replacing line over the store's threshold: a manager approves here.
  const manager = useManagerApproval();

  useEffect(() => {
    if (!line) return;
    setReplace(false);
    setQuantity(formatInLocale(line.quantity, uiLocale()));
    setDimensions(Object.entries(line.dimensions).sort(([a], [b]) => ORDER(a) - ORDER(b)));
    setErrors({});
    setFailure(null);
    setQuestion(null);
  }, [line]);

  const edit = (next: () => void) => {
    next();
    setErrors({});
    setQuestion(null);
  };

  const replacement = () => {
    const read = readNumber(quantity);
    if (!read.ok) {
      setErrors({ quantity: read.message });
      return null;
    }
    // A blank value is no dimension: the line goes without it.
    const dims = Object.fromEntries(dimensions.map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
    return { quantity: read.value, dimensions: dims };
  };

  const submit = async () => {
    if (!line || busy) return;
    const wanted = replace ? replacement() : null;
    if (replace && !wanted) return;
    setBusy(true);
    try {
      const input = {
        lineRecordId: line.lineRecordId,
        replacement: wanted,
        confirmedLargeQuantity: question !== null,
      };
      const done = await manager.run((override) =>
        override ? rpcApproved('lines.correct', input, override) : rpc('lines.correct', input),
      );
      notifications.show({
        color: 'green',
        title: done.replacement ? 'Reversing and replacing lines posted' : 'Correcting line posted',
        message: `${done.correction.productId}, quantity ${formatNumber(done.correction.quantity)}${
          done.replacement
            ? `; then ${formatNumber(done.replacement.quantity)} at site ${done.replacement.dimensions.siteId}, warehouse ${done.replacement.dimensions.locationId}`
            : ''
        }`,
      });
      props.onDone();
      props.onClose();
      navigate('transactions', { tab: 'detailed', line: done.correction.lineRecordId });
    } catch (e) {
      if (isRpcError(e) && e.code === 'needs_confirmation') {
        setQuestion(e.message);
      } else if (
        isRpcError(e) &&
        Object.keys(e.byField()).some((f) => f === 'quantity' || f.startsWith('dimensions.'))
      ) {
        setErrors(e.byField('dimensions'));
      } else {
        setFailure(e);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {manager.dialog}
      <Modal opened={line !== null} onClose={props.onClose} title="Correct this line" size="lg">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Stack>
            <Text size="sm">
              Posts its reversing line: {line?.productId}, quantity{' '}
              <b>{formatNumber(line ? -line.quantity : null)}</b>, same place and references, linked to this
              one. It takes the quantity back out whether or not Inventory Visibility already counts this
              line.
            </Text>
            <Checkbox
              label="Also post the line it should have been (same item, another place or quantity)"
              checked={replace}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                edit(() => setReplace(on));
              }}
            />
            {replace && (
              <SimpleGrid cols={2} data-testid="replacement-fields">
                <QuantityField
                  label="Quantity of the replacing line"
                  value={quantity}
                  onChange={(value) => edit(() => setQuantity(value))}
                  error={errors.quantity}
                />
                {dimensions.map(([name, value], i) => (
                  <TextInput
                    key={name}
                    label={label(name)}
                    value={value}
                    error={errors[name]}
                    onChange={(e) => {
                      const next = e.currentTarget.value;
                      edit(() => setDimensions((all) => all.map((d, j) => (j === i ? [name, next] : d))));
                    }}
                  />
                ))}
              </SimpleGrid>
            )}
            {question && (
              <Text size="sm" fw={600} role="status">
                {question} Post again to confirm.
              </Text>
            )}
            <ErrorAlert error={failure} title="Not posted" />
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} data-autofocus>
                {question ? 'Yes, post both lines' : replace ? 'Post both lines' : 'Post the reversing line'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
