// Runs in each test file's environment, before its tests (jest's setupFilesAfterEnv).
import { removeTestOutdirs } from './util';

// The file's assemblies go once its tests end, after every hook of its own.
afterAll(removeTestOutdirs);
