import { useState } from 'react';
import type { ChaosScenarioInfo, ProfileInfo } from '../../../../shared/contract';

interface Props {
  scenarios: readonly ChaosScenarioInfo[];
  profiles: readonly ProfileInfo[];
  busy: boolean;
  onRunAlone: (name: ChaosScenarioInfo['name']) => void;
  onRunInStress: (name: ChaosScenarioInfo['name'], profile: string) => void;
}

/** The scenarios: what each breaks, what recovery means, and the two ways to run it. */
export function ScenarioList({ scenarios, profiles, busy, onRunAlone, onRunInStress }: Props) {
  const [profile, setProfile] = useState('medium');
  return (
    <div className="card" data-testid="scenario-list">
      <div className="scenario-head">
        <h2>Scenarios</h2>
        <label className="scenario-profile">
          stress profile for “during a run”
          <select value={profile} onChange={(e) => setProfile(e.target.value)}>
            {profiles.map((p) => (
              <option key={p.profile.name} value={p.profile.name}>
                {p.profile.name} — {p.peakRate} req/s, {p.durationS} s
              </option>
            ))}
          </select>
        </label>
      </div>
      <table className="data scenario-table">
        <tbody>
          {scenarios.map((s) => (
            <tr key={s.name} data-scenario={s.name}>
              <td className="scenario-name">
                <strong>{s.title}</strong>
                <div>
                  <code>{s.name}</code>
                </div>
              </td>
              <td>
                <div>{s.description}</div>
                <div className="muted scenario-recovery">
                  <strong>Recovered means:</strong> {s.recovery}
                </div>
              </td>
              <td className="scenario-actions">
                <button type="button" className="primary" disabled={busy} onClick={() => onRunInStress(s.name, profile)} data-testid={`run-in-stress-${s.name}`}>
                  During a {profile} run
                </button>
                <button type="button" disabled={busy} onClick={() => onRunAlone(s.name)} data-testid={`run-alone-${s.name}`}>
                  Alone
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
