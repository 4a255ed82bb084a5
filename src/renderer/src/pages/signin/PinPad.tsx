import { Button, SimpleGrid } from '@mantine/core';
import { IconBackspace } from '@tabler/icons-react';
import { PIN_DIGITS } from '../../../../shared/people';

/**
 * Digits for a touch screen. The keyboard types into the PIN field instead, so the pad's buttons
 * are not Tab stops: the keyboard's way stays name, PIN, Sign in.
 */
export function PinPad({ pin, onChange }: { pin: string; onChange: (pin: string) => void }) {
  const press = (digit: string) => onChange(pin.length < PIN_DIGITS.max ? pin + digit : pin);
  const key = (label: string, onClick: () => void, aria?: string) => (
    <Button
      key={label}
      variant="default"
      size="lg"
      tabIndex={-1}
      onClick={onClick}
      aria-label={aria ?? label}
    >
      {label === 'back' ? <IconBackspace size={20} aria-hidden /> : label}
    </Button>
  );
  return (
    <SimpleGrid cols={3} spacing="xs" role="group" aria-label="PIN pad">
      {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => key(d, () => press(d)))}
      {key('Clear', () => onChange(''), 'Clear the PIN')}
      {key('0', () => press('0'))}
      {key('back', () => onChange(pin.slice(0, -1)), 'Delete the last digit')}
    </SimpleGrid>
  );
}
