export * from './fake-wechat-api-server.js';
export * from './wechat-push-client.js';
