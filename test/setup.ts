// Registers the cdktf Jest matchers (toHaveResourceWithProperties, ...) for every test file.
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
