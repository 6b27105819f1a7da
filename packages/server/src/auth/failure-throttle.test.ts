import { FailureThrottle } from './failure-throttle.js';

describe('FailureThrottle', () => {
  it('blocks a subject after its limit of failures in a minute, and only that subject', () => {
    let t = 0;
    const throttle = new FailureThrottle(3, () => t);
    for (let i = 0; i < 3; i++) {
      expect(throttle.blocked('ip:a')).toBe(false);
      throttle.fail('ip:a', 'key:K');
    }
    expect(throttle.blocked('ip:a')).toBe(true);
    expect(throttle.blocked('key:K')).toBe(true);
    expect(throttle.blocked('ip:b')).toBe(false);
    t += 59_999;
    expect(throttle.blocked('ip:a')).toBe(true);
    t += 1;
    expect(throttle.blocked('ip:a')).toBe(false);
  });
});
