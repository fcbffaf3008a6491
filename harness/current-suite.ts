/**
 * The conformance suite whose jest module registry loaded this module, or
 * undefined outside a suite (the CLI, a harness test). jest.config.js sets it
 * per project as a global; suites run side by side, so progress lines and
 * bring-up turns need to know whose they are.
 */
export function currentSuite(): string | undefined {
  return (globalThis as { ktcSuite?: string }).ktcSuite;
}
