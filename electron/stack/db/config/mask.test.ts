import { describe, expect, it } from 'vitest';
import { maskSecretAssignments } from './mask';

describe('maskSecretAssignments', () => {
  // Like the logger: the value after NAME= of a secret name is masked; a code that merely contains
  // PASSWORD is words, not a secret.
  it('the doctor masker follows the same rule as the logger', () => {
    expect(maskSecretAssignments('NO_PASSWORD: The server asks for one')).toBe('NO_PASSWORD: The server asks for one');
    expect(maskSecretAssignments('PGPASSWORD=hunter2')).toBe('PGPASSWORD=****');
  });
});
