import { originMatcher } from './cors';

describe('originMatcher', () => {
  it('allows the listed origins exactly, and any port where the entry says *', () => {
    const allowed = originMatcher(['https://app.example.org', 'http://localhost:*']);
    expect(allowed('https://app.example.org')).toBe(true);
    expect(allowed('https://APP.example.org')).toBe(true);
    expect(allowed('http://localhost:5173')).toBe(true);
    expect(allowed('http://localhost')).toBe(true);
    expect(allowed('http://app.example.org')).toBe(false);
    expect(allowed('https://app.example.org.evil.example')).toBe(false);
    expect(allowed('http://localhost.evil.example:80')).toBe(false);
    expect(allowed('http://localhost:5173/path')).toBe(false);
    expect(allowed('null')).toBe(false);
  });

  it('allows nothing by default, and everything for *', () => {
    expect(originMatcher([])('https://app.example.org')).toBe(false);
    expect(originMatcher(['*'])('https://anything.example')).toBe(true);
  });
});
