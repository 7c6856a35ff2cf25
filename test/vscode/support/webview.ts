/**
 * The inside of a webview panel (the policy summary, the grant changes), as playwright reaches
 * it: VS Code puts each webview in an iframe (class `webview`) that holds the page in another
 * (`#active-frame`). The webview whose tab is active is the visible one.
 */
import type { FrameLocator, Page } from 'playwright-core';

export function visibleWebview(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready:visible').last().contentFrame().locator('iframe#active-frame').contentFrame();
}
