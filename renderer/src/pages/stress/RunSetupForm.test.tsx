import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { StartRunParams } from '../../../../shared/contract';
import { RunSetupForm } from './RunSetupForm';
import { initialSetup, type RunSetup } from './run-setup';
import { TEST_PROFILES } from './testing-profiles';

function Harness({ onStart }: { onStart: (params: StartRunParams) => void }) {
  const [setup, setSetup] = useState<RunSetup>(() => initialSetup(TEST_PROFILES, null));
  return <RunSetupForm profiles={TEST_PROFILES} setup={setup} onSetupChange={setSetup} busy={false} serverErrors={null} onStart={onStart} />;
}

describe('RunSetupForm', () => {
  it('shows each error next to its field and disables Start until all are fixed', () => {
    const started: StartRunParams[] = [];
    render(<Harness onStart={(p) => started.push(p)} />);
    const start = screen.getByTestId('start-run') as HTMLButtonElement;
    expect(start.disabled).toBe(false);

    fireEvent.change(screen.getByTestId('rate-input'), { target: { value: '0' } });
    fireEvent.change(screen.getByTestId('duration-input'), { target: { value: 'abc' } });
    fireEvent.change(screen.getByTestId('thresholds-input'), { target: { value: 'latencyms: p(95)<800\nerrors: p(95)<1' } });

    expect(start.disabled).toBe(true);
    expect(screen.getByTestId('rate-error').textContent).toMatch(/Peak rate is requests per second/);
    expect(screen.getByTestId('duration-error').textContent).toMatch(/Duration is in seconds/);
    const thresholdErrors = screen.getByTestId('thresholds-error');
    expect(thresholdErrors.children).toHaveLength(2);
    expect(thresholdErrors.textContent).not.toMatch(/thresholds\./);
    expect(screen.getByTestId('rate-input').getAttribute('aria-describedby')).toBe('rate-error');

    fireEvent.submit(screen.getByTestId('run-setup'));
    expect(started).toEqual([]);

    fireEvent.change(screen.getByTestId('rate-input'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('duration-input'), { target: { value: '12' } });
    fireEvent.change(screen.getByTestId('thresholds-input'), { target: { value: 'latency_ms: p(95)<800' } });
    expect(start.disabled).toBe(false);
    expect(screen.queryByTestId('rate-error')).toBeNull();
    fireEvent.click(start);
    expect(started).toEqual([{ profile: 'light', mode: 'governed', thresholds: { latency_ms: ['p(95)<800'] }, durationS: 12 }]);
  });

  it('describes the run as overridden: requests and length follow the duration', () => {
    render(<Harness onStart={() => undefined} />);
    expect(screen.getByTestId('run-plan').textContent).toMatch(/^60 requests over 30 s, peak 2\/s/);
    fireEvent.change(screen.getByTestId('duration-input'), { target: { value: '12' } });
    expect(screen.getByTestId('run-plan').textContent).toMatch(/^24 requests over 12 s, peak 2\/s, at most 100 in flight \(your rate and duration applied\)/);
    fireEvent.change(screen.getByTestId('profile-select'), { target: { value: 'heavy' } });
    expect(screen.getByTestId('run-plan').textContent).toMatch(/^1,530 requests over 60 s, peak 30\/s/);
  });

  it('switches mode with the arrow keys from its one Tab stop', () => {
    render(<Harness onStart={() => undefined} />);
    const governed = screen.getByTestId('mode-governed');
    expect(governed.tabIndex).toBe(0);
    expect(screen.getByTestId('mode-unbounded').tabIndex).toBe(-1);
    fireEvent.keyDown(governed, { key: 'ArrowRight' });
    expect(screen.getByTestId('mode-unbounded').getAttribute('aria-checked')).toBe('true');
    expect(screen.getByTestId('start-run').textContent).toBe('Start unbounded run');
    fireEvent.keyDown(screen.getByTestId('mode-unbounded'), { key: 'ArrowRight' });
    expect(screen.getByTestId('mode-adaptive').getAttribute('aria-checked')).toBe('true');
    expect(screen.getByTestId('run-plan').textContent).toContain('Adaptive: governed, but provider calls and retrieval queries run on adaptive limits');
    fireEvent.keyDown(screen.getByTestId('mode-adaptive'), { key: 'ArrowRight' });
    expect(screen.getByTestId('mode-governed').getAttribute('aria-checked')).toBe('true');
  });

  it('switches to an HTTP endpoint: its fields appear, errors sit under them, Start sends the profile with the target', () => {
    const started: StartRunParams[] = [];
    render(<Harness onStart={(p) => started.push(p)} />);
    expect(screen.queryByTestId('target-fields')).toBeNull();
    fireEvent.click(screen.getByTestId('against-http'));
    const start = screen.getByTestId('start-run') as HTMLButtonElement;
    expect(start.textContent).toBe('Start run against endpoint');
    // An empty URL: Start stays disabled and the URL field says why.
    expect(start.disabled).toBe(true);
    expect(screen.getByTestId('target-url-error').textContent).toMatch(/The URL is empty/);
    fireEvent.change(screen.getByTestId('target-url'), { target: { value: 'http://127.0.0.1:8080/chat' } });
    fireEvent.change(screen.getByTestId('target-headers'), { target: { value: 'Authorization Bearer sk-hidden' } });
    expect(screen.getByTestId('target-headers-error').textContent).toMatch(/Line 1 is not 'Name: value'/);
    expect(screen.getByTestId('target-headers-error').textContent).not.toContain('sk-hidden');
    expect(start.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('target-headers'), { target: { value: 'Authorization: Bearer sk-hidden' } });
    expect(start.disabled).toBe(false);
    fireEvent.submit(screen.getByTestId('run-setup'));
    expect(started).toHaveLength(1);
    expect(started[0]!.profile).toMatchObject({ name: 'light', target: { url: 'http://127.0.0.1:8080/chat', headers: { Authorization: 'Bearer sk-hidden' } } });
  });
});
