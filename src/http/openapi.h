/* openapi.h — the OpenAPI 3 document of the API, built from the route
 * table the server dispatches with, so that every route the server answers
 * is documented and nothing documented is missing. */
#ifndef TK_HTTP_OPENAPI_H
#define TK_HTTP_OPENAPI_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "http/router.h"

/* Builds the document for `routes`, with server_url as its server.
 * TK_EINVAL (err names it) when a route refers to a schema the document
 * does not define. */
enum tk_rc openapi_document(const struct route *routes, size_t n, const char *server_url,
			    json_t **out, struct tk_error *err);

#endif
