// The API's answers: shared with the promoter page.
export * from '../lib/types';
