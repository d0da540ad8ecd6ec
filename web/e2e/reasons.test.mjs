// A product score's reasons as the console says them: from each reason's
// code and params in the reader's language, money as ¥ with thousands
// separators; no English in zh-CN.  zh-CN and en, 1440 and 360 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, env, launch, newPage, shot, yuan } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const locale of ['zh-CN', 'en'])
  for (const width of [1440, 360])
    test(`product score reasons in ${locale} at ${width} px, from their codes and params`, async () => {
      const top = (await api('/products/top?limit=30')).body;
      const first = top.items[0];
      assert.ok(first.score.reasons.every((r) => r.params && typeof r.params === 'object'), 'every reason has params');
      const commission = first.score.reasons.find((r) => r.code === 'commission');
      assert.ok(commission, 'the first product has a commission reason');

      const p = await newPage(browser, { width, height: 900, locale });
      await p.context().route((url) => !url.href.startsWith(env.url), (route) => route.abort());
      p.setDefaultTimeout(15000);
      await p.goto(`${env.url}/`);
      await p.getByTestId('login-key').fill(env.key);
      await p.getByTestId('login-submit').click();
      await p.locator('[data-testid="kpis"]').waitFor();
      await p.goto(`${env.url}/#/products/top`);
      const card = p.locator('[data-testid="products-top"] li[data-product]').first();
      await card.waitFor();
      const said = await card.locator('.reasons li').allInnerTexts();
      assert.equal(said.length, first.score.reasons.length);
      const earn = await card.locator('.reasons li[data-code="commission"]').innerText();
      assert.ok(earn.includes(yuan(commission.params.earn_fen)) && earn.includes(yuan(commission.params.price_fen)), `commission said "${earn}"`);
      if (locale === 'zh-CN') {
        assert.ok(earn.startsWith('每件佣金'), earn);
        for (const s of said) assert.equal(s.match(/[A-Za-z]{4,}/g), null, `English in "${s}"`);
      } else {
        assert.ok(earn.startsWith('Commission'), earn);
      }
      await shot(p, `reasons-console-top-${locale}-${width}`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    });
