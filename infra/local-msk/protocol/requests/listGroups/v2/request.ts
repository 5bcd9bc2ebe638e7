// ListGroups Request (Version: 2) =>
export { decode } from '../v0/request.js';
