// ListGroups Request (Version: 1) =>
export { decode } from '../v0/request.js';
