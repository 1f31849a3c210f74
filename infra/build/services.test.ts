import { chooseService, healthPorts, ServiceChoiceError } from './services';

const KNOWN = ['gateway', 'partners', 'knowledge'];

describe('chooseService', () => {
  it('takes HUB_SERVICE, or else the first argument', () => {
    expect(chooseService({ HUB_SERVICE: 'partners' }, [], KNOWN)).toBe('partners');
    expect(chooseService({}, ['knowledge', '--other'], KNOWN)).toBe('knowledge');
    expect(chooseService({ HUB_SERVICE: ' gateway ' }, ['gateway'], KNOWN)).toBe('gateway');
  });

  it('refuses none, an unknown one, or two that disagree, naming what to set', () => {
    expect(() => chooseService({}, [], KNOWN)).toThrow(
      new ServiceChoiceError(
        'no service chosen: set HUB_SERVICE (or give as argument) one of gateway | partners | knowledge.',
      ),
    );
    expect(() => chooseService({ HUB_SERVICE: '' }, ['billing'], KNOWN)).toThrow(
      'no service "billing" in this build',
    );
    expect(() => chooseService({ HUB_SERVICE: 'gateway' }, ['partners'], KNOWN)).toThrow(
      'HUB_SERVICE=gateway and the argument "partners" name different services',
    );
  });
});

describe('healthPorts', () => {
  it("asks the chosen service's port", () => {
    expect(healthPorts({ HUB_SERVICE: 'gateway', PORT: '4001' })).toEqual([4000]);
    expect(healthPorts({ HUB_SERVICE: 'gateway', GATEWAY_PORT: '8080' })).toEqual([8080]);
    expect(healthPorts({ HUB_SERVICE: 'partners', PORT: '4001' })).toEqual([4001]);
  });

  it('asks both when the service was chosen by argument, which it cannot see', () => {
    expect(healthPorts({ PORT: '4001' })).toEqual([4000, 4001]);
    expect(healthPorts({})).toEqual([4000]);
  });

  it('has no port for a subgraph without PORT', () => {
    expect(healthPorts({ HUB_SERVICE: 'partners' })).toEqual([]);
  });
});
