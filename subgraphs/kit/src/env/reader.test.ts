import { ConfigError } from './config-error';
import { readEnv, wholeNumber } from './reader';

const PORT = { fallback: 4000, min: 0, max: 65_535, what: 'a port number from 0 to 65535' };

function problemsOf(
  read: (reader: ReturnType<typeof readEnv>) => void,
  env: Record<string, string>,
): string[] {
  const reader = readEnv(env);
  read(reader);
  try {
    reader.check();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  return [];
}

describe('the environment reader', () => {
  it('trims values and takes a blank one as unset', () => {
    const reader = readEnv({ NAME: '  hub \n', BLANK: '   ', EMPTY: '' });
    expect(reader.text('NAME')).toBe('hub');
    expect(reader.text('BLANK')).toBeUndefined();
    expect(reader.text('EMPTY')).toBeUndefined();
    expect(reader.text('UNSET')).toBeUndefined();
    expect(readEnv({ PORT: ' 8080 ' }).integer('PORT', PORT)).toBe(8080);
    expect(readEnv({ PORT: ' ' }).integer('PORT', PORT)).toBe(4000);
    expect(readEnv({ SWITCH: ' OFF ' }).onOff('SWITCH', true, 'it')).toBe(false);
    expect(readEnv({ URL: ' http://a.example/graphql ' }).url('URL', { what: 'x' })).toBe(
      'http://a.example/graphql',
    );
  });

  it.each(['1e3', '12abc', '0x10', '12.0', '1.5', '-1', '+5', '1_000', 'Infinity', '99999999999999999999'])(
    'refuses %p as a whole number, saying what to set',
    (value) => {
      expect(wholeNumber(value)).toBeUndefined();
      expect(problemsOf((reader) => reader.integer('PORT', PORT), { PORT: value })).toEqual([
        `PORT=${JSON.stringify(value)} is not valid: set it to a port number from 0 to 65535 (default 4000).`,
      ]);
    },
  );

  it('keeps integers within their range', () => {
    expect(readEnv({ PORT: '0' }).integer('PORT', PORT)).toBe(0);
    expect(readEnv({ PORT: '65535' }).integer('PORT', PORT)).toBe(65_535);
    expect(problemsOf((reader) => reader.integer('PORT', PORT), { PORT: '65536' })).toHaveLength(1);
  });

  it('reads on/off switches in any case and refuses anything else', () => {
    expect(readEnv({ S: 'On' }).onOff('S', false, 'x')).toBe(true);
    expect(readEnv({}).onOff('S', true, 'x')).toBe(true);
    expect(problemsOf((reader) => reader.onOff('S', true, 'the thing'), { S: 'true' })).toEqual([
      'S="true" is not valid: set it to on or off to switch the thing (default on).',
    ]);
  });

  it('accepts only absolute URLs of the allowed schemes', () => {
    const what = "the subgraph's GraphQL endpoint";
    expect(problemsOf((reader) => reader.url('U', { what }), { U: 'partners:4001' })).toEqual([
      `U="partners:4001" is not an http(s) URL: set it to ${what}.`,
    ]);
    expect(problemsOf((reader) => reader.url('U', { what }), { U: 'ftp://a.example' })).toHaveLength(1);
    expect(
      problemsOf((reader) => reader.url('U', { what, schemes: ['mongodb'] }), { U: 'mongodb://db' }),
    ).toEqual([]);
  });

  it('finds per-name settings and refuses a name not in upper case', () => {
    const env = {
      X_URL_PARTNERS: ' http://p ',
      X_URL_PARTNER_DATA: 'http://d',
      X_URL_KNOWLEDGE: '',
      X_URL_lower: 'h',
    };
    const reader = readEnv(env);
    expect(reader.prefixed('X_URL_', 'X_URL_PARTNERS')).toEqual([
      { variable: 'X_URL_PARTNERS', name: 'PARTNERS', value: 'http://p' },
      { variable: 'X_URL_PARTNER_DATA', name: 'PARTNER_DATA', value: 'http://d' },
    ]);
    expect(reader.problems).toEqual([
      'X_URL_lower does not name a subgraph: use X_URL_<NAME> with NAME in upper case, e.g. X_URL_PARTNERS.',
    ]);
  });

  it('lists every problem at once, in one error', () => {
    const reader = readEnv({ PORT: '1e3', S: 'yes', U: 'nowhere' });
    reader.integer('PORT', PORT);
    reader.onOff('S', true, 'it');
    reader.url('U', { what: 'a URL' });
    reader.required('KEY', 'KEY is not set: set it to the key file.');
    reader.problem('MONGODB_URI must start with mongodb://.');
    let thrown: unknown;
    try {
      reader.check('Invalid test configuration');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.problems).toHaveLength(5);
    expect(error.message).toBe(
      'Invalid test configuration:\n' +
        '  - PORT="1e3" is not valid: set it to a port number from 0 to 65535 (default 4000).\n' +
        '  - S="yes" is not valid: set it to on or off to switch it (default on).\n' +
        '  - U="nowhere" is not an http(s) URL: set it to a URL.\n' +
        '  - KEY is not set: set it to the key file.\n' +
        '  - MONGODB_URI must start with mongodb://.',
    );
    // For logs that store each line as a record.
    expect(error.oneLine()).not.toContain('\n');
    expect(error.oneLine()).toMatch(
      /^Invalid test configuration: PORT="1e3" is not valid: .* \| S="yes" .*mongodb:\/\/\.$/,
    );
  });

  it('throws nothing when everything was valid', () => {
    const reader = readEnv({ PORT: '80' });
    reader.integer('PORT', PORT);
    expect(() => reader.check()).not.toThrow();
  });
});
