import type { HostProcess } from '../host-process';
import { findPythonWithWebsockets } from '../../electron/stack/attach/testing/find-python';
import { spawnAttached, spawnNodeAgent, type SpawnedAgent } from '../../electron/stack/attach/testing/spawn-attached';
import { expect, test } from './fixtures';

/**
 * Live attach, as a user sees it: `bulkhead serve` prints BULKHEAD_ATTACH; a Node process using the
 * library and the Python asyncio example, both started with it, appear on the Semaphores page (process
 * list and their semaphores, tagged), can be filtered, and show disconnected after they stop. Settings
 * shows the same line with a copy button. Screenshots go to test-results/screenshots/attach-*.png.
 */
const ATTACH_LINE = /BULKHEAD_ATTACH=(ws:\/\/127\.0\.0\.1:\d+\/attach\?token=[\w-]+)/;

async function attachUrlOf(host: HostProcess): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const match = ATTACH_LINE.exec(host.output());
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`bulkhead serve printed no BULKHEAD_ATTACH line:\n${host.output()}`);
}

const { python, reason } = findPythonWithWebsockets();

test('an attached Node process and the Python example appear on Semaphores while running and show disconnected after', async ({ page, panel, host }) => {
  test.setTimeout(90_000);
  const url = await attachUrlOf(host);
  const agents: SpawnedAgent[] = [];
  try {
    const node = spawnNodeAgent({ BULKHEAD_ATTACH: url, BULKHEAD_PROCESS_NAME: 'e2e-node-agent', AGENT_SEMAPHORE: 'node-fan-out' });
    agents.push(node);
    let py: SpawnedAgent | null = null;
    if (python) {
      py = spawnAttached(python, ['resources/examples/python/agent.py', '--semaphore', 'python-llm-calls'], { BULKHEAD_ATTACH: url, BULKHEAD_PROCESS_NAME: 'e2e-python-agent' });
      agents.push(py);
    } else {
      test.info().annotations.push({ type: 'python', description: reason });
    }
    await Promise.all(agents.map((agent) => agent.ready));

    await panel('semaphores');
    const root = page.locator('[data-page="semaphores"]');
    await expect(root).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('process-e2e-node-agent')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('semaphore-node-fan-out')).toHaveAttribute('data-process', 'e2e-node-agent');
    await expect(page.getByTestId('semaphore-node-fan-out').getByTestId('process-tag')).toContainText('e2e-node-agent');
    if (py) {
      await expect(page.getByTestId('process-e2e-python-agent')).toHaveAttribute('data-state', 'connected');
      await expect(page.getByTestId('process-e2e-python-agent')).toContainText('python');
      await expect(page.getByTestId('semaphore-python-llm-calls')).toHaveAttribute('data-process', 'e2e-python-agent');
    }
    await page.screenshot({ path: 'test-results/screenshots/attach-running.png', fullPage: true });

    // The process filter shows one process's primitives only.
    const nodeId = await page.getByTestId('process-filter').locator('option', { hasText: 'e2e-node-agent' }).getAttribute('value');
    await page.getByTestId('process-filter').selectOption(nodeId ?? '');
    await expect(page.getByTestId('semaphore-node-fan-out')).toBeVisible();
    if (py) await expect(page.getByTestId('semaphore-python-llm-calls')).toHaveCount(0);
    await page.getByTestId('process-filter').selectOption('all');

    await Promise.all(agents.map((agent) => agent.stop()));
    await expect(page.getByTestId('process-e2e-node-agent')).toHaveAttribute('data-state', 'disconnected');
    await expect(page.getByTestId('semaphore-node-fan-out').getByTestId('process-tag')).toContainText('disconnected');
    if (py) {
      await expect(page.getByTestId('process-e2e-python-agent')).toHaveAttribute('data-state', 'disconnected');
      await expect(page.getByTestId('semaphore-python-llm-calls').getByTestId('process-tag')).toContainText('disconnected');
    }
    await page.screenshot({ path: 'test-results/screenshots/attach-stopped.png', fullPage: true });
    expect(python, reason).not.toBeNull();
  } finally {
    await Promise.all(agents.map((agent) => agent.stop()));
  }
});

test('Settings shows the BULKHEAD_ATTACH line serve printed, with a copy button', async ({ page, panel, host }) => {
  const url = await attachUrlOf(host);
  await panel('settings');
  await expect(page.getByTestId('attach-env-line')).toHaveText(`BULKHEAD_ATTACH=${url}`);
  await expect(page.getByTestId('attach-copy')).toBeVisible();
  await page.getByTestId('attach-card').screenshot({ path: 'test-results/screenshots/attach-settings.png' });
});
