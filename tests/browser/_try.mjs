import { openBrowser } from './browser.mjs';
const { context, page, problems } = await openBrowser();
context.setDefaultTimeout(15000);
await page.goto('http://127.0.0.1:8280/');
await page.waitForTimeout(8000);
await page.screenshot({ path: '/tmp/wt4-shot1.png', fullPage: true });
console.log(problems, await page.evaluate(() => document.body.innerText.slice(0, 1500)));
await context.close();
