/**
 * A child process for the approval kill -9 test: opens the layer on the data folder in
 * `argv[2]` and presses Approve on every held line, decided ones too (a manager pressing again
 * after a restart), saying "approved" after each, slowly enough to be killed at any point.
 */
import { openLayer } from './layer';

async function main(): Promise<void> {
  const layer = openLayer(process.argv[2]!);
  const manager = {
    kind: 'person' as const,
    id: 'p-kill-manager',
    name: 'Mia Manager',
    role: 'manager' as const,
  };
  for (const held of layer.approvals.list()) {
    layer.approvals.approve(held.heldId, manager);
    process.stdout.write('approved\n');
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  process.stdout.write('done\n');
  await layer.close();
}

void main();
