import { describeKeyStoreContract } from "../contract/key-store.contract.js";
import { createMemoryKeyStore } from "./index.js";

describeKeyStoreContract(
  "memory",
  async () => ({
    open: async (options) => createMemoryKeyStore(options),
    cleanup: async () => {},
  }),
  { shared: false, modelRuns: 100 },
);
