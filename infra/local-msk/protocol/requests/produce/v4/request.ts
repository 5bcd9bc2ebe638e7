// Produce Request (Version: 4) => transactional_id acks timeout [topic_data]
//   (same grammar as version 3)
export { decode } from '../v3/request.js';
