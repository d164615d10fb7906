import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: two workers keep the machine responsive for the heavier suites.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: ['tests/real-host/**'] },
      },
      {
        // The real hosts (Fluent Bit, iwasm) are CPU-heavy child processes with timing-sensitive waits:
        // their files run one at a time, after the other tests (groupOrder), each bounded in time.
        extends: true,
        test: {
          name: 'real-host',
          include: ['tests/real-host/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
