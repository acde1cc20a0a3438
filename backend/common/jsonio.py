"""JSON answers encoded by orjson: several times faster than the standard module on a list, and UTF-8 as it is
(Chinese text is not escaped to six bytes a character). Dates and times in ISO 8601, as the schemas dump them
(Flask's own encoder wrote HTTP dates). Only the answers' encoding changes; `app.json.dumps` (the session
cookie's, for one) and request parsing stay Flask's."""
import orjson
from flask.json.provider import DefaultJSONProvider

# Dataclasses, decimals and the like go to Flask's own conversion; dict keys that are not text become text, as the
# json module makes them.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


class OrjsonProvider(DefaultJSONProvider):
    sort_keys = False  # keys in the order each answer is built (schema order)

    def response(self, *args, **kwargs):
        obj = self._prepare_response_obj(args, kwargs)
        option = _OPTIONS | orjson.OPT_APPEND_NEWLINE
        if self.compact is False or (self.compact is None and self._app.debug):
            option |= orjson.OPT_INDENT_2
        return self._app.response_class(orjson.dumps(obj, default=self.default, option=option),
                                        mimetype=self.mimetype)
