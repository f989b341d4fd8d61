// Vite's client types (import.meta.glob and friends) for the engine modules, which the root
// tsconfig also checks through the tests in test/web/.
/// <reference types="vite/client" />
