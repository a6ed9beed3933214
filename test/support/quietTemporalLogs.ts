import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers in tests log only warnings and errors, so a test run's output shows what failed, not every
// worker state change.
Runtime.install({ logger: new DefaultLogger('WARN') });
