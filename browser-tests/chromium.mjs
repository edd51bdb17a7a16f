// Launches Debian's Chromium (CHROMIUM overrides the path) headless through playwright-core, with
// what every player test here needs: no sandbox (CI runs as root), no GPU, no QUIC, none of the
// background traffic a fresh profile starts, and autoplay without a user's gesture. playwright
// gives it a fresh temporary profile.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    timeout: 20000,
  });
}
