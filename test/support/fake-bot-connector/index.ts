export * from './fake-bot-connector.js';
