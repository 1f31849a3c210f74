import { CONFIG_ELEMENT_ID } from './page-config';
import { IDE_CONTENT_SECURITY_POLICY, jsonForScript, renderIdePage } from './page';

const assets = {
  script: 'ide-ABC.js',
  style: 'ide-DEF.css',
  workers: { editor: 'editor.worker-1.js', json: 'json.worker-2.js', graphql: 'graphql.worker-3.js' },
};

describe('renderIdePage', () => {
  it('loads the assets relative to the page and hands over the settings as inert JSON', () => {
    const html = renderIdePage(assets, {
      endpoint: 'graphql',
      introspection: false,
      examples: [
        {
          file: 'x.graphql',
          name: 'X',
          description: 'Evil?',
          query: '# </script><script>alert(1)</script>\n',
        },
      ],
    });
    expect(html).toContain('<link rel="stylesheet" href="ide/assets/ide-DEF.css">');
    expect(html).toContain('<script defer src="ide/assets/ide-ABC.js"></script>');
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).not.toMatch(/\b(https?:)?\/\/(?!www\.w3\.org)/); // nothing from another host

    const json = new RegExp(`<script id="${CONFIG_ELEMENT_ID}" type="application/json">(.*?)</script>`).exec(
      html,
    )?.[1];
    expect(JSON.parse(json!)).toEqual({
      endpoint: 'graphql',
      introspection: false,
      workers: {
        editor: 'ide/assets/editor.worker-1.js',
        json: 'ide/assets/json.worker-2.js',
        graphql: 'ide/assets/graphql.worker-3.js',
      },
      examples: [
        {
          file: 'x.graphql',
          name: 'X',
          description: 'Evil?',
          query: '# </script><script>alert(1)</script>\n',
        },
      ],
    });
  });

  it('escapes what could end a script element', () => {
    expect(jsonForScript({ a: '</script><!-- & \u2028' })).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}',
    );
  });

  it('allows only the gateway itself in the content security policy', () => {
    expect(IDE_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(IDE_CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(IDE_CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
    expect(IDE_CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
  });
});
