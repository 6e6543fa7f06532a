// Password length rules, apart from the hashing (./password.ts pulls in argon2): the API's
// input schemas use them, and those schemas are also the browser forms' validation.
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
