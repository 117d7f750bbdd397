/**
 * The feature client users call, embedded or remote: requests, vectors, push results, and the
 * exceptions a client maps HTTP statuses to.
 */
package dev.lockstep.api.client;
