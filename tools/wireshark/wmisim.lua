-- wmisim.lua: a Wireshark dissector for wmisim's ONC RPC programs (docs/wireshark.md).
--
-- The programs (rpc/proto/*.x, docs/wire.md): the service program 0x20574D49 (versions 1
-- and 2), the sink program 0x20574D4A, the unsecured-apartment program 0x20574D4B and its
-- report program 0x20574D4C. Wireshark's RPC dissector knows a program only when a C
-- dissector registers it (rpc_init_prog); its "rpc.call" table is keyed by a C struct that
-- Lua cannot build, and its TCP heuristic refuses a program nobody registered. So this
-- dissector does the ONC RPC part itself: a TCP heuristic that recognises a call of one of
-- our programs (or the reply to one it saw), record marking (RFC 5531 section 11), the
-- call and reply headers (RFC 5531), the RPCSEC_GSS credential and its protected bodies
-- (RFC 2203), then the XDR of each procedure's arguments and results.
--
-- Load it with `tshark -X lua_script:tools/wireshark/wmisim.lua`, or install it (meson
-- install puts it in Wireshark's global Lua plugin folder).

local wmisim = Proto("wmisim", "wmisim ONC RPC (WMI async calls)")

local SERVICE, SINK, UNSECAPP, REPORT = 0x20574D49, 0x20574D4A, 0x20574D4B, 0x20574D4C
local RPCSEC_GSS = 6

local program_names = {
  [SERVICE] = "WSIM_SERVICE_PROG", [SINK] = "WSIM_SINK_PROG",
  [UNSECAPP] = "WSIM_UNSECAPP_PROG", [REPORT] = "WSIM_UNSECAPP_REPORT_PROG",
}

-- HRESULTs: the table of cim/wsim-hresult.h (WSIM_HRESULT_TABLE), Microsoft's names and
-- values. The wireshark suite checks that the two agree.
local hresults = {
  [0x00000000] = "WBEM_S_NO_ERROR",
  [0x00000001] = "WBEM_S_FALSE",
  [0x00040001] = "WBEM_S_ALREADY_EXISTS",
  [0x00040004] = "WBEM_S_TIMEDOUT",
  [0x00040005] = "WBEM_S_NO_MORE_DATA",
  [0x00040006] = "WBEM_S_OPERATION_CANCELLED",
  [0x00040010] = "WBEM_S_PARTIAL_RESULTS",
  [0x80041001] = "WBEM_E_FAILED",
  [0x80041002] = "WBEM_E_NOT_FOUND",
  [0x80041003] = "WBEM_E_ACCESS_DENIED",
  [0x80041004] = "WBEM_E_PROVIDER_FAILURE",
  [0x80041005] = "WBEM_E_TYPE_MISMATCH",
  [0x80041006] = "WBEM_E_OUT_OF_MEMORY",
  [0x80041007] = "WBEM_E_INVALID_CONTEXT",
  [0x80041008] = "WBEM_E_INVALID_PARAMETER",
  [0x8004100C] = "WBEM_E_NOT_SUPPORTED",
  [0x8004100D] = "WBEM_E_INVALID_SUPERCLASS",
  [0x8004100E] = "WBEM_E_INVALID_NAMESPACE",
  [0x8004100F] = "WBEM_E_INVALID_OBJECT",
  [0x80041010] = "WBEM_E_INVALID_CLASS",
  [0x80041011] = "WBEM_E_PROVIDER_NOT_FOUND",
  [0x80041012] = "WBEM_E_INVALID_PROVIDER_REGISTRATION",
  [0x80041013] = "WBEM_E_PROVIDER_LOAD_FAILURE",
  [0x80041015] = "WBEM_E_TRANSPORT_FAILURE",
  [0x80041016] = "WBEM_E_INVALID_OPERATION",
  [0x80041017] = "WBEM_E_INVALID_QUERY",
  [0x80041018] = "WBEM_E_INVALID_QUERY_TYPE",
  [0x80041019] = "WBEM_E_ALREADY_EXISTS",
  [0x80041021] = "WBEM_E_INVALID_SYNTAX",
  [0x80041023] = "WBEM_E_READ_ONLY",
  [0x80041024] = "WBEM_E_PROVIDER_NOT_CAPABLE",
  [0x80041025] = "WBEM_E_CLASS_HAS_CHILDREN",
  [0x80041026] = "WBEM_E_CLASS_HAS_INSTANCES",
  [0x80041028] = "WBEM_E_ILLEGAL_NULL",
  [0x80041029] = "WBEM_E_INVALID_QUALIFIER_TYPE",
  [0x8004102A] = "WBEM_E_INVALID_PROPERTY_TYPE",
  [0x8004102B] = "WBEM_E_VALUE_OUT_OF_RANGE",
  [0x8004102D] = "WBEM_E_INVALID_CIM_TYPE",
  [0x8004102E] = "WBEM_E_INVALID_METHOD",
  [0x8004102F] = "WBEM_E_INVALID_METHOD_PARAMETERS",
  [0x80041030] = "WBEM_E_SYSTEM_PROPERTY",
  [0x80041031] = "WBEM_E_INVALID_PROPERTY",
  [0x80041032] = "WBEM_E_CALL_CANCELLED",
  [0x80041033] = "WBEM_E_SHUTTING_DOWN",
  [0x8004103A] = "WBEM_E_INVALID_OBJECT_PATH",
  [0x80041042] = "WBEM_E_INVALID_QUALIFIER",
  [0x80041043] = "WBEM_E_INVALID_DUPLICATE_PARAMETER",
  [0x80041045] = "WBEM_E_SERVER_TOO_BUSY",
  [0x80041055] = "WBEM_E_METHOD_NOT_IMPLEMENTED",
  [0x80041056] = "WBEM_E_METHOD_DISABLED",
  [0x80041059] = "WBEM_E_NOT_EVENT_CLASS",
  [0x8004105A] = "WBEM_E_MISSING_GROUP_WITHIN",
  [0x8004105B] = "WBEM_E_MISSING_AGGREGATION_LIST",
  [0x8004105D] = "WBEM_E_AGGREGATING_BY_OBJECT",
  [0x80041069] = "WBEM_E_TIMED_OUT",
  [0x8004106A] = "WBEM_E_INVALID_ASSOCIATION",
  [0x80041087] = "WBEM_E_ENCRYPTED_CONNECTION_REQUIRED",
  [0x80041089] = "WBEM_E_NO_KEY",
  [0x80042002] = "WBEMESS_E_REGISTRATION_TOO_PRECISE",
  [0x80044001] = "WBEMMOF_E_EXPECTED_QUALIFIER_NAME",
  [0x80044002] = "WBEMMOF_E_EXPECTED_SEMI",
  [0x80044003] = "WBEMMOF_E_EXPECTED_OPEN_BRACE",
  [0x80044004] = "WBEMMOF_E_EXPECTED_CLOSE_BRACE",
  [0x80044005] = "WBEMMOF_E_EXPECTED_CLOSE_BRACKET",
  [0x80044006] = "WBEMMOF_E_EXPECTED_CLOSE_PAREN",
  [0x80044007] = "WBEMMOF_E_ILLEGAL_CONSTANT_VALUE",
  [0x80044008] = "WBEMMOF_E_EXPECTED_TYPE_IDENTIFIER",
  [0x80044009] = "WBEMMOF_E_EXPECTED_OPEN_PAREN",
  [0x8004400A] = "WBEMMOF_E_UNRECOGNIZED_TOKEN",
  [0x8004400B] = "WBEMMOF_E_UNRECOGNIZED_TYPE",
  [0x8004400C] = "WBEMMOF_E_EXPECTED_PROPERTY_NAME",
  [0x80044012] = "WBEMMOF_E_INVALID_PRAGMA",
  [0x80044013] = "WBEMMOF_E_INVALID_NAMESPACE_SYNTAX",
  [0x80044014] = "WBEMMOF_E_EXPECTED_CLASS_NAME",
  [0x80044015] = "WBEMMOF_E_TYPE_MISMATCH",
  [0x80044017] = "WBEMMOF_E_INVALID_CLASS_DECLARATION",
  [0x80044018] = "WBEMMOF_E_INVALID_INSTANCE_DECLARATION",
  [0x8004401B] = "WBEMMOF_E_DUPLICATE_PROPERTY",
  [0x8004401D] = "WBEMMOF_E_OUT_OF_RANGE",
  [0x8004401E] = "WBEMMOF_E_INVALID_FILE",
  [0x80044021] = "WBEMMOF_E_DUPLICATE_QUALIFIER",
  [0x80044027] = "WBEMMOF_E_MUST_BE_IN_OR_OUT",
  [0x80070005] = "E_ACCESSDENIED",
  [0x800401E4] = "MK_E_SYNTAX",
  [0x80010108] = "RPC_E_DISCONNECTED",
  [0x800706BA] = "RPC_S_SERVER_UNAVAILABLE",
  [0x80010119] = "RPC_E_TOO_LATE",
}

local flavors = { [0] = "AUTH_NONE", [1] = "AUTH_SYS", [2] = "AUTH_SHORT", [6] = "RPCSEC_GSS" }
local gss_procs = { [0] = "RPCSEC_GSS_DATA", [1] = "RPCSEC_GSS_INIT",
                    [2] = "RPCSEC_GSS_CONTINUE_INIT", [3] = "RPCSEC_GSS_DESTROY" }
local gss_services = { [1] = "none", [2] = "integrity", [3] = "privacy" }
local reply_stats = { [0] = "MSG_ACCEPTED", [1] = "MSG_DENIED" }
local accept_stats = { [0] = "SUCCESS", [1] = "PROG_UNAVAIL", [2] = "PROG_MISMATCH",
                       [3] = "PROC_UNAVAIL", [4] = "GARBAGE_ARGS", [5] = "SYSTEM_ERR" }
local reject_stats = { [0] = "RPC_MISMATCH", [1] = "AUTH_ERROR" }
local auth_stats = { [0] = "AUTH_OK", [1] = "AUTH_BADCRED", [2] = "AUTH_REJECTEDCRED",
                     [3] = "AUTH_BADVERF", [4] = "AUTH_REJECTEDVERF", [5] = "AUTH_TOOWEAK",
                     [6] = "AUTH_INVALIDRESP", [7] = "AUTH_FAILED", [13] = "RPCSEC_GSS_CREDPROBLEM",
                     [14] = "RPCSEC_GSS_CTXPROBLEM" }
local levels = { [0] = "RPC_C_AUTHN_LEVEL_DEFAULT", [1] = "RPC_C_AUTHN_LEVEL_NONE",
                 [2] = "RPC_C_AUTHN_LEVEL_CONNECT", [3] = "RPC_C_AUTHN_LEVEL_CALL",
                 [4] = "RPC_C_AUTHN_LEVEL_PKT", [5] = "RPC_C_AUTHN_LEVEL_PKT_INTEGRITY",
                 [6] = "RPC_C_AUTHN_LEVEL_PKT_PRIVACY" }
local status_flags = { [0] = "WBEM_STATUS_COMPLETE", [1] = "WBEM_STATUS_REQUIREMENTS",
                       [2] = "WBEM_STATUS_PROGRESS" }
local call_states = { [0] = "WSIM_CALL_OPEN", [1] = "WSIM_CALL_REFUSED", [2] = "WSIM_CALL_ENDED",
                      [3] = "WSIM_CALL_UNKNOWN" }
local cimtypes = { [0] = "CIM_EMPTY", [2] = "CIM_SINT16", [3] = "CIM_SINT32", [4] = "CIM_REAL32",
                   [5] = "CIM_REAL64", [8] = "CIM_STRING", [11] = "CIM_BOOLEAN", [13] = "CIM_OBJECT",
                   [16] = "CIM_SINT8", [17] = "CIM_UINT8", [18] = "CIM_UINT16", [19] = "CIM_UINT32",
                   [20] = "CIM_SINT64", [21] = "CIM_UINT64", [101] = "CIM_DATETIME",
                   [102] = "CIM_REFERENCE", [103] = "CIM_CHAR16" }

local F = {
  record    = ProtoField.uint32("wmisim.record_length", "Record length"),
  fragments = ProtoField.uint32("wmisim.fragments", "Fragments"),
  xid       = ProtoField.uint32("wmisim.xid", "XID", base.HEX),
  msgtype   = ProtoField.uint32("wmisim.msgtype", "Message type", base.DEC, { [0] = "CALL", [1] = "REPLY" }),
  rpcvers   = ProtoField.uint32("wmisim.rpcvers", "RPC version"),
  prog      = ProtoField.uint32("wmisim.prog", "Program", base.HEX, program_names),
  vers      = ProtoField.uint32("wmisim.vers", "Program version"),
  proc      = ProtoField.uint32("wmisim.proc", "Procedure number"),
  procedure = ProtoField.string("wmisim.procedure", "Procedure"),
  flavor    = ProtoField.uint32("wmisim.auth.flavor", "Credential flavor", base.DEC, flavors),
  verf      = ProtoField.uint32("wmisim.auth.verifier", "Verifier flavor", base.DEC, flavors),
  authlen   = ProtoField.uint32("wmisim.auth.length", "Length"),
  gss_vers  = ProtoField.uint32("wmisim.gss.version", "RPCSEC_GSS version"),
  gss_proc  = ProtoField.uint32("wmisim.gss.proc", "RPCSEC_GSS procedure", base.DEC, gss_procs),
  gss_seq   = ProtoField.uint32("wmisim.gss.seq", "RPCSEC_GSS sequence number"),
  gss_svc   = ProtoField.uint32("wmisim.gss.service", "RPCSEC_GSS service", base.DEC, gss_services),
  gss_svcn  = ProtoField.string("wmisim.gss.service_name", "RPCSEC_GSS service name"),
  gss_handle = ProtoField.bytes("wmisim.gss.handle", "RPCSEC_GSS context handle"),
  gss_token = ProtoField.bytes("wmisim.gss.token", "GSS-API token"),
  gss_mic   = ProtoField.bytes("wmisim.gss.checksum", "MIC over the body"),
  gss_priv  = ProtoField.bytes("wmisim.gss.encrypted", "Encrypted body"),
  gss_major = ProtoField.uint32("wmisim.gss.major", "GSS major status", base.HEX),
  gss_minor = ProtoField.uint32("wmisim.gss.minor", "GSS minor status", base.HEX),
  gss_window = ProtoField.uint32("wmisim.gss.window", "Sequence window"),
  reply_stat = ProtoField.uint32("wmisim.reply_stat", "Reply status", base.DEC, reply_stats),
  accept_stat = ProtoField.uint32("wmisim.accept_stat", "Accept status", base.DEC, accept_stats),
  reject_stat = ProtoField.uint32("wmisim.reject_stat", "Reject status", base.DEC, reject_stats),
  auth_stat = ProtoField.uint32("wmisim.auth_stat", "Auth status", base.DEC, auth_stats),
  low       = ProtoField.uint32("wmisim.mismatch.low", "Lowest version"),
  high      = ProtoField.uint32("wmisim.mismatch.high", "Highest version"),
  call_in   = ProtoField.framenum("wmisim.call_in", "Call in frame", base.NONE, frametype.REQUEST),
  reply_in  = ProtoField.framenum("wmisim.reply_in", "Reply in frame", base.NONE, frametype.RESPONSE),
  namespace = ProtoField.string("wmisim.namespace", "Namespace"),
  ns_handle = ProtoField.uint64("wmisim.ns_handle", "Namespace handle", base.HEX),
  flags     = ProtoField.int32("wmisim.flags", "Flags", base.DEC),
  status    = ProtoField.int32("wmisim.status_flags", "Status flags", base.DEC, status_flags),
  class     = ProtoField.string("wmisim.class", "Class"),
  superclass = ProtoField.string("wmisim.superclass", "Superclass"),
  path      = ProtoField.string("wmisim.object_path", "Object path"),
  language  = ProtoField.string("wmisim.query_language", "Query language"),
  query     = ProtoField.string("wmisim.query", "Query"),
  method    = ProtoField.string("wmisim.method", "Method"),
  endpoint  = ProtoField.string("wmisim.endpoint", "Sink endpoint"),
  sink_id   = ProtoField.uint64("wmisim.sink_id", "Sink id"),
  call_id   = ProtoField.uint64("wmisim.call_id", "Call id"),
  stub_id   = ProtoField.uint64("wmisim.stub_id", "Stub id"),
  batch_seq = ProtoField.uint32("wmisim.batch_seq", "Batch sequence"),
  rows      = ProtoField.uint32("wmisim.rows", "Rows"),
  nclasses  = ProtoField.uint32("wmisim.new_classes", "Classes"),
  hresult   = ProtoField.uint32("wmisim.hresult", "HRESULT", base.HEX, hresults),
  hr_name   = ProtoField.string("wmisim.hresult.name", "HRESULT name"),
  message   = ProtoField.string("wmisim.message", "Message"),
  str_param = ProtoField.string("wmisim.str_param", "strParam"),
  level     = ProtoField.uint32("wmisim.level", "Authentication level", base.DEC, levels),
  last_rung = ProtoField.bool("wmisim.last_rung", "Last rung"),
  state     = ProtoField.uint32("wmisim.call_state", "Call state", base.DEC, call_states),
  principal = ProtoField.string("wmisim.principal", "Principal"),
  mech      = ProtoField.string("wmisim.mech", "Mechanism"),
  text      = ProtoField.string("wmisim.value", "Value"),
  ctx_value = ProtoField.string("wmisim.context_value", "Context value"),
}
local field_list = {}
for _, f in pairs(F) do field_list[#field_list + 1] = f end
wmisim.fields = field_list

local ef_malformed = ProtoExpert.new("wmisim.malformed", "Malformed wmisim message",
                                     expert.group.MALFORMED, expert.severity.ERROR)
local ef_error = ProtoExpert.new("wmisim.hresult.failed", "The call failed",
                                 expert.group.RESPONSE_CODE, expert.severity.NOTE)
wmisim.experts = { ef_malformed, ef_error }

-- State kept across packets (first pass): the calls seen, by direction and xid, for their
-- replies; the namespace behind each handle; the classes each call has introduced.
local calls, ns_names, call_classes

local function reset()
  calls, ns_names, call_classes = {}, {}, {}
end
reset()
wmisim.init = reset

-- ---- XDR reading: a cursor over a tvb, the tree, and the Info column's words ----------

local function pad4(n) return n + (4 - n % 4) % 4 end

local function take(r, n) local rg = r.tvb(r.off, n); r.off = r.off + n; return rg end
local function u32(r) return take(r, 4):uint() end

local function add_u32(r, tree, field) local rg = take(r, 4); tree:add(field, rg); return rg:uint() end
local function add_i32(r, tree, field) local rg = take(r, 4); tree:add(field, rg); return rg:int() end
local function add_u64(r, tree, field) local rg = take(r, 8); tree:add(field, rg); return rg:uint64() end
local function add_bool(r, tree, field) local rg = take(r, 4); tree:add(field, rg, rg:uint() ~= 0); return rg:uint() ~= 0 end

-- An XDR string or opaque: its value and the range of the whole item (length word included).
local function xstr(r)
  local start = r.off
  local n = u32(r)
  local s = ""
  if n > 0 then s = r.tvb(r.off, n):string(ENC_UTF_8) end
  r.off = r.off + pad4(n)
  return s, r.tvb(start, r.off - start)
end

local function add_str(r, tree, field, label)
  local s, rg = xstr(r)
  local it = tree:add(field, rg, s)
  if label then it:set_text(label .. ": " .. s) end
  return s
end

local function opaque(r)
  local start = r.off
  local n = u32(r)
  local rg = n > 0 and r.tvb(r.off, n) or nil
  r.off = r.off + pad4(n)
  return rg, n, r.tvb(start, r.off - start)
end

local function info(r, s) r.words[#r.words + 1] = s end

local function hresult_name(hr)
  return hresults[hr] or string.format("0x%08X", hr)
end

local function add_hresult(r, tree)
  local rg = r.tvb(r.off, 4)
  local hr = add_u32(r, tree, F.hresult)
  local name = hresult_name(hr)
  local it = tree:add(F.hr_name, rg, name)
  it:set_generated()
  if hr >= 0x80000000 then it:add_proto_expert_info(ef_error, name) end
  info(r, "hr=" .. name)
  return hr
end

-- A class name from an object path: "\\srv\root\cimv2:Win32_Service.Name="x"" -> "Win32_Service".
local function class_of_path(p)
  local colon, dot = p:find(":", 1, true), p:find(".", 1, true)
  if colon and (not dot or colon < dot) then p = p:sub(colon + 1) end
  return p:match("^[^.=]+") or p
end

local function add_class(tree, rg, name, generated)
  local it = tree:add(F.class, rg, name)
  if generated then it:set_generated() end
end

-- ---- CIM types (wsim_cim.x) --------------------------------------------------------

local function scalar(r, t)
  if t == 2 or t == 3 or t == 16 then return tostring(take(r, 4):int())
  elseif t == 17 or t == 18 or t == 19 or t == 103 then return tostring(u32(r))
  elseif t == 20 then return tostring(take(r, 8):int64())
  elseif t == 21 then return tostring(take(r, 8):uint64())
  elseif t == 4 then return tostring(take(r, 4):float())
  elseif t == 5 then return tostring(take(r, 8):float())
  elseif t == 11 then return u32(r) ~= 0 and "TRUE" or "FALSE"
  elseif t == 8 or t == 101 or t == 102 then return '"' .. xstr(r) .. '"'
  end
  error("unknown CIM type " .. t)
end

-- Embedded objects nest at most this deep, the outermost counted (WSIM_MAX_NESTING).
local MAX_NESTING = 32

local value

-- A wsim_embedded_body (CIM_OBJECT) as the runtime prints it: its class's flattened
-- properties name the values, nulls are left out ("instance of C { P = 1; }").
local function embedded(r, depth)
  if depth > MAX_NESTING then error("embedded objects nested deeper than " .. MAX_NESTING) end
  local cname = xstr(r)
  xstr(r)                                  -- superclass
  local names = {}
  for i = 1, u32(r) do
    names[i] = xstr(r)
    take(r, 8)                             -- cimtype, is_key
  end
  local parts = {}
  for i = 1, u32(r) do
    local v = value(r, depth)
    if v ~= "NULL" then parts[#parts + 1] = string.format(" %s = %s;", names[i] or "?", v) end
  end
  return "instance of " .. cname .. " {" .. table.concat(parts) .. " }"
end

-- A wsim_value as text ("NULL", 42, "text", [1, 2], instance of C { ... }). @depth: the
-- objects around it (nil: none).
value = function(r, depth)
  local t = u32(r)
  depth = depth or 0
  if t == 0 then return "NULL" end
  if t == 13 then
    if u32(r) == 0 then error("CIM_OBJECT without its object") end
    return embedded(r, depth + 1)
  end
  if t >= 0x2000 then
    local n, parts = u32(r), {}
    for i = 1, n do
      local s = t == 0x200D and embedded(r, depth + 1) or scalar(r, t - 0x2000)
      if i <= 8 then parts[#parts + 1] = s end
    end
    if n > 8 then parts[#parts + 1] = "..." end
    return "[" .. table.concat(parts, ", ") .. "]"
  end
  return scalar(r, t)
end

local function add_value(r, tree, label)
  local start = r.off
  local s = value(r)
  tree:add(F.text, r.tvb(start, r.off - start), s):set_text(label .. " = " .. s)
end

local function array(r, tree, label, each)
  local start = r.off
  local n = u32(r)
  local sub = tree:add(wmisim, r.tvb(start, 4), string.format("%s (%d)", label, n))
  for i = 1, n do each(r, sub, i - 1) end
  sub:set_len(r.off - start)
  return n
end

local function class_def(r, tree, classes)
  local start = r.off
  local sub = tree:add(wmisim, r.tvb(start, 4), "Class")
  local name = add_str(r, sub, F.class)
  local super = add_str(r, sub, F.superclass)
  local n = array(r, sub, "Properties", function(r, t)
    local s = r.off
    local pname = xstr(r)
    local ct = u32(r)
    local key = u32(r) ~= 0
    t:add(wmisim, r.tvb(s, r.off - s), string.format("%s %s%s", cimtypes[ct % 0x2000] or ct,
          pname .. (ct >= 0x2000 and "[]" or ""), key and " (key)" or ""))
  end)
  sub:set_text(string.format("Class %s%s, %d properties", name, super ~= "" and " : " .. super or "", n))
  sub:set_len(r.off - start)
  if classes then classes[#classes + 1] = name end
  return name
end

local function instance(r, tree, i, classes)
  local start = r.off
  local sub = tree:add(wmisim, r.tvb(start, 4), "Row")
  local idx = u32(r)
  local cname = classes and classes[idx + 1]
  local n = array(r, sub, "Values", function(r, t, k) add_value(r, t, "[" .. k .. "]") end)
  sub:set_text(string.format("Row %d: class #%d%s, %d values", i, idx, cname and " (" .. cname .. ")" or "", n))
  if cname then add_class(sub, r.tvb(start, 4), cname, true) end
  sub:set_len(r.off - start)
end

local function qualifiers(r, tree)
  array(r, tree, "Qualifiers", function(r, t)
    local s = r.off
    local name = xstr(r)
    local flavor = u32(r)
    local v = value(r)
    t:add(wmisim, r.tvb(s, r.off - s), string.format("%s = %s (flavor 0x%x)", name, v, flavor))
  end)
end

local function class_decl(r, tree)
  local start = r.off
  local sub = tree:add(wmisim, r.tvb(start, 4), "Class declaration")
  local name = add_str(r, sub, F.class)
  local super = add_str(r, sub, F.superclass)
  array(r, sub, "Derivation", function(r, t) add_str(r, t, F.superclass) end)
  add_str(r, sub, F.namespace)
  qualifiers(r, sub)
  local np = array(r, sub, "Properties", function(r, t)
    local s = r.off
    local p = t:add(wmisim, r.tvb(s, 4), "Property")
    local pname = xstr(r)
    local ct = u32(r)
    local ref = xstr(r)
    local origin = xstr(r)
    qualifiers(r, p)
    add_value(r, p, "default")
    p:set_text(string.format("%s %s (from %s)", ref ~= "" and ref .. " ref" or (cimtypes[ct % 0x2000] or ct),
               pname .. (ct >= 0x2000 and "[]" or ""), origin))
    p:set_len(r.off - s)
  end)
  local nm = array(r, sub, "Methods", function(r, t)
    local s = r.off
    local m = t:add(wmisim, r.tvb(s, 4), "Method")
    local mname = xstr(r)
    u32(r)                  -- return_type
    xstr(r)                 -- class_origin
    local static = u32(r) ~= 0
    qualifiers(r, m)
    array(r, m, "Parameters", function(r, pt)
      local ps = r.off
      local pname = xstr(r)
      local ct = u32(r)
      xstr(r)               -- ref_class
      local is_in, is_out = u32(r) ~= 0, u32(r) ~= 0
      qualifiers(r, pt)
      pt:add(wmisim, r.tvb(ps, r.off - ps), string.format("%s%s %s %s", is_in and "[in]" or "",
             is_out and "[out]" or "", cimtypes[ct % 0x2000] or ct, pname))
    end)
    m:set_text(string.format("Method %s%s", mname, static and " (static)" or ""))
    m:set_len(r.off - s)
  end)
  sub:set_text(string.format("Class declaration %s%s, %d properties, %d methods", name,
               super ~= "" and " : " .. super or "", np, nm))
  sub:set_len(r.off - start)
  return name
end

local function sink_locator(r, tree)
  add_str(r, tree, F.endpoint)
  add_u64(r, tree, F.sink_id)
end

local function add_call_id(r, tree)
  local id = add_u64(r, tree, F.call_id)
  info(r, "call_id=" .. tostring(id))
  return id
end

-- The namespace OPEN_NAMESPACE returned @handle for, shown under a call that uses it.
local function add_ns_handle(r, tree)
  local rg = r.tvb(r.off, 8)
  local h = tostring(add_u64(r, tree, F.ns_handle))
  local ns = ns_names[h]
  if ns then
    tree:add(F.namespace, rg, ns):set_generated()
    info(r, "ns=" .. ns)
  end
end

-- The classes call @call_id introduced so far, of sink @sink_id at the sink host this
-- message goes to (call ids are chosen by each client, so they repeat across clients).
local function classes_of(r, sink_id, call_id)
  local k = r.dst .. "/" .. tostring(sink_id) .. "/" .. tostring(call_id)
  call_classes[k] = call_classes[k] or {}
  return call_classes[k]
end

-- ---- arguments and results, per procedure ------------------------------------------

local function open_namespace_args(r, t, call)
  local ns = add_str(r, t, F.namespace)
  add_i32(r, t, F.flags)
  call.namespace = ns
  info(r, "ns=" .. ns)
end

local function open_namespace_res(r, t, call)
  local hr = add_hresult(r, t)
  local h = add_u64(r, t, F.ns_handle)
  if hr < 0x80000000 and call and call.namespace then
    ns_names[tostring(h)] = call.namespace
    t:add(F.namespace, call.namespace):set_generated()
  end
end

local function cancel_args(r, t)
  add_ns_handle(r, t)
  sink_locator(r, t)
end

local function async_res(r, t)
  add_hresult(r, t)
  local m = add_str(r, t, F.message)
  if m ~= "" then info(r, '"' .. m .. '"') end
end

-- An object path, with the class it names (a generated field). Returns: the path.
local function add_path(r, t)
  local s, rg = xstr(r)
  t:add(F.path, rg, s)
  add_class(t, rg, class_of_path(s), true)
  return s
end

-- The arguments most *_ASYNC procedures share: a handle, what @what reads (it returns
-- the Info column's word), flags, the sink and the call id.
local function async_args(what)
  return function(r, t)
    add_ns_handle(r, t)
    info(r, what(r, t))
    add_i32(r, t, F.flags)
    sink_locator(r, t)
    add_call_id(r, t)
  end
end

-- GET_OBJECT and DELETE_INSTANCE: an object path.
local path_args = async_args(function(r, t) return "path=" .. add_path(r, t) end)
-- PUT_CLASS: a class declaration.
local put_class_args = async_args(function(r, t) return "class=" .. class_decl(r, t) end)
-- DELETE_CLASS, CREATE_CLASS_ENUM, CREATE_INSTANCE_ENUM: a name.
local function named_args(field, word)
  return async_args(function(r, t)
    local s, rg = xstr(r)
    t:add(field, rg, s)
    return word .. "=" .. s
  end)
end

local function put_instance_args(r, t)
  add_ns_handle(r, t)
  add_i32(r, t, F.flags)
  local classes = {}
  info(r, "class=" .. class_def(r, t, classes))
  instance(r, t, 0, classes)
  sink_locator(r, t)
  add_call_id(r, t)
end

local function exec_query_args(r, t)
  add_ns_handle(r, t)
  add_str(r, t, F.language)
  local q, rg = xstr(r)
  t:add(F.query, rg, q)
  local from = q:match("[Ff][Rr][Oo][Mm]%s+([%w_]+)")
  if from then add_class(t, rg, from, true) end
  info(r, '"' .. q .. '"')
  add_i32(r, t, F.flags)
  sink_locator(r, t)
  add_call_id(r, t)
end

local function exec_method_args(r, t)
  add_ns_handle(r, t)
  local s = add_path(r, t)
  local m = add_str(r, t, F.method)
  info(r, s .. "." .. m .. "()")
  add_i32(r, t, F.flags)
  local classes = {}
  class_def(r, t, classes)
  if u32(r) ~= 0 then instance(r, t, 0, classes) end
  sink_locator(r, t)
  add_call_id(r, t)
end

local function security_info(r, t)
  add_u32(r, t, F.level)
  add_u32(r, t, F.level)
  add_u32(r, t, F.flags)
end

local function query_calls_args(r, t)
  local n = array(r, t, "Calls", function(r, st)
    sink_locator(r, st)
    add_call_id(r, st)
  end)
  info(r, n .. " calls")
end

local function query_calls_res(r, t)
  add_hresult(r, t)
  array(r, t, "Calls", function(r, st, i)
    local s = r.off
    local c = st:add(wmisim, r.tvb(s, 4), "Call " .. i)
    add_hresult(r, c)
    add_u32(r, c, F.state)
    add_str(r, c, F.message)
    c:set_len(r.off - s)
  end)
end

local function sink_query_args(r, t)
  add_u64(r, t, F.sink_id)
  add_call_id(r, t)
  local l = add_u32(r, t, F.level)
  add_bool(r, t, F.last_rung)
  info(r, "level=" .. (levels[l] or l))
end

local function indicate_args(r, t)
  local sink = add_u64(r, t, F.sink_id)
  local id = add_call_id(r, t)
  local seq = add_u32(r, t, F.batch_seq)
  local classes = r.visited and {} or classes_of(r, sink, id)
  local known = r.visited and {} or classes
  local nc = array(r, t, "New classes", function(r, st) info(r, "class=" .. class_def(r, st, classes)) end)
  local rows_at = r.tvb(r.off, 4)
  t:add(F.rows, rows_at)
  local n = array(r, t, "Rows", function(r, st, i) instance(r, st, i, known) end)
  info(r, string.format("batch %d: %d row%s", seq, n, n == 1 and "" or "s"))
end

local function set_status_args(r, t)
  local sink = add_u64(r, t, F.sink_id)
  local id = add_call_id(r, t)
  local fl = add_i32(r, t, F.status)
  info(r, status_flags[fl] or tostring(fl))
  add_hresult(r, t)
  local sp = add_str(r, t, F.str_param)
  if sp ~= "" then info(r, '"' .. sp .. '"') end
  local classes = r.visited and {} or classes_of(r, sink, id)
  array(r, t, "New classes", function(r, st) class_def(r, st, classes) end)
  if u32(r) ~= 0 then instance(r, t, 0, classes) end
end

local function indicate_classes_args(r, t)
  add_u64(r, t, F.sink_id)
  add_call_id(r, t)
  local seq = add_u32(r, t, F.batch_seq)
  t:add(F.nclasses, r.tvb(r.off, 4))
  local n = array(r, t, "Classes", function(r, st) info(r, "class=" .. class_decl(r, st)) end)
  info(r, string.format("batch %d: %d classes", seq, n))
end

local function sink_res(r, t) add_hresult(r, t) end

local function create_stub_args(r, t)
  local rg = take(r, 4)
  t:add(wmisim, rg, "Check access: " .. (rg:uint() ~= 0 and "TRUE" or "FALSE"))
end

local function create_stub_res(r, t)
  add_hresult(r, t)
  add_u64(r, t, F.stub_id)
  add_str(r, t, F.endpoint)
end

local function stub_call_args(r, t)
  add_u64(r, t, F.stub_id)
  add_call_id(r, t)
  add_u64(r, t, F.sink_id)
  add_str(r, t, F.principal)
  add_str(r, t, F.mech)
end

local function stub_ref_args(r, t)
  add_u64(r, t, F.stub_id)
  add_call_id(r, t)
end

local function listen_args(r, t) add_str(r, t, F.endpoint) end
local function listen_res(r, t)
  add_hresult(r, t)
  add_str(r, t, F.endpoint)
  add_str(r, t, F.message)
end

local function stub_event(r, t)
  local kind = u32(r)
  t:add(wmisim, r.tvb(r.off - 4, 4), kind == 0 and "WSIM_STUB_ACCEPTED" or "WSIM_STUB_REFUSED")
  add_u64(r, t, F.stub_id)
  add_call_id(r, t)
  add_hresult(r, t)
  add_u32(r, t, F.level)
  add_str(r, t, F.mech)
  add_str(r, t, F.principal)
  add_str(r, t, F.message)
  take(r, 8)   -- n
  take(r, 4)   -- last_rung
  take(r, 8)   -- time_us
end

-- Procedure tables: names as rpc/proto/*.x writes them, without the WSIM_ prefix.
local procedures = {
  [SERVICE] = {
    [0]  = { "SERVICE_NULL" },
    [3]  = { "OPEN_NAMESPACE", open_namespace_args, open_namespace_res, "OpenNamespace" },
    [4]  = { "CANCEL_ASYNC_CALL", cancel_args, async_res, "CancelAsyncCall" },
    [7]  = { "GET_OBJECT_ASYNC", path_args, async_res, "GetObjectAsync" },
    [9]  = { "PUT_CLASS_ASYNC", put_class_args, async_res, "PutClassAsync" },
    [11] = { "DELETE_CLASS_ASYNC", named_args(F.class, "class"), async_res, "DeleteClassAsync" },
    [13] = { "CREATE_CLASS_ENUM_ASYNC", named_args(F.superclass, "superclass"), async_res, "CreateClassEnumAsync" },
    [15] = { "PUT_INSTANCE_ASYNC", put_instance_args, async_res, "PutInstanceAsync" },
    [17] = { "DELETE_INSTANCE_ASYNC", path_args, async_res, "DeleteInstanceAsync" },
    [19] = { "CREATE_INSTANCE_ENUM_ASYNC", named_args(F.class, "class"), async_res, "CreateInstanceEnumAsync" },
    [21] = { "EXEC_QUERY_ASYNC", exec_query_args, async_res, "ExecQueryAsync" },
    [25] = { "EXEC_METHOD_ASYNC", exec_method_args, async_res, "ExecMethodAsync" },
    [64] = { "NEGOTIATE_SECURITY", nil, security_info },
    [66] = { "QUERY_CALLS", query_calls_args, query_calls_res },
  },
  [SINK] = {
    [0] = { "SINK_NULL" },
    [1] = { "SINK_QUERY", sink_query_args, sink_res },
    [3] = { "SINK_INDICATE", indicate_args, sink_res, "IWbemObjectSink::Indicate" },
    [4] = { "SINK_SET_STATUS", set_status_args, sink_res, "IWbemObjectSink::SetStatus" },
    [5] = { "SINK_INDICATE_CLASSES", indicate_classes_args, sink_res },
  },
  [UNSECAPP] = {
    [0] = { "UNSECAPP_NULL" },
    [1] = { "UNSECAPP_CREATE_STUB", create_stub_args, create_stub_res, "CreateSinkStub" },
    [2] = { "UNSECAPP_BEGIN_CALL", stub_call_args, sink_res },
    [3] = { "UNSECAPP_END_CALL", stub_ref_args, sink_res },
    [4] = { "UNSECAPP_RELEASE_STUB", stub_ref_args, sink_res },
    [5] = { "UNSECAPP_LISTEN", listen_args, listen_res },
  },
  [REPORT] = {
    [0] = { "UNSECAPP_REPORT_NULL" },
    [1] = { "UNSECAPP_REPORT", stub_event, nil },
  },
}

-- Version 2 of the service program: a wsim_context, then version 1's argument.
local function context(r, t)
  array(r, t, "Context (IWbemContext)", function(r, st)
    local s = r.off
    local name = xstr(r)
    local v = value(r)
    st:add(F.ctx_value, r.tvb(s, r.off - s), name .. " = " .. v)
  end)
end

-- ---- the RPC layer -----------------------------------------------------------------

-- Runs @body on the cursor; a short or malformed body is marked, not fatal.
local function guarded(r, tree, body, call)
  local ok, err = pcall(body, r, tree, call)
  if not ok then
    tree:add_proto_expert_info(ef_malformed, tostring(err))
    info(r, "[malformed]")
  elseif r.off < r.tvb:len() then
    tree:add(wmisim, r.tvb(r.off), string.format("%d bytes after the body", r.tvb:len() - r.off))
  end
end

-- The body under the call's RPCSEC_GSS service (RFC 2203 section 5.3.2): @decode reads
-- the plain arguments or results from a cursor.
local function protected_body(r, tree, service, decode)
  if service == 2 then
    local rg, n, whole = opaque(r)
    local sub = tree:add(wmisim, whole, "Integrity-protected body (RPCSEC_GSS integrity)")
    local mic = opaque(r)
    if mic then tree:add(F.gss_mic, mic) end
    if rg and n >= 4 then
      local inner = rg:tvb()
      sub:add(F.gss_seq, inner(0, 4))
      decode({ tvb = inner, off = 4, words = r.words, visited = r.visited, dst = r.dst }, sub)
    end
  elseif service == 3 then
    local rg, n, whole = opaque(r)
    local it = tree:add(F.gss_priv, whole)
    it:set_text(string.format("Encrypted body (RPCSEC_GSS privacy): %d bytes, not readable", n))
    info(r, "[privacy: body encrypted]")
  else
    decode(r, tree)
  end
end

local function opaque_auth(r, tree, field, label)
  local start = r.off
  local fl = u32(r)
  local rg, n = opaque(r)
  local sub = tree:add(field, r.tvb(start, 4), fl)
  sub:set_text(string.format("%s: %s, %d bytes", label, flavors[fl] or fl, n))
  sub:set_len(r.off - start)
  return fl, rg, sub
end

local function dissect_call(r, tree, pinfo, key)
  add_u32(r, tree, F.rpcvers)
  local prog = add_u32(r, tree, F.prog)
  local vers = add_u32(r, tree, F.vers)
  local procno = add_u32(r, tree, F.proc)
  local p = (procedures[prog] or {})[procno]
  local name = p and p[1] or ("procedure " .. procno)
  local it = tree:add(F.procedure, r.tvb(r.off - 4, 4), name)
  if p and p[4] then it:append_text(" (" .. p[4] .. ")") end
  info(r, name .. (vers == 2 and prog == SERVICE and " (V2)" or ""))

  -- Credential.
  local cstart = r.off
  local flavor = u32(r)
  local cred, clen = opaque(r)
  local ct = tree:add(F.flavor, r.tvb(cstart, 4), flavor)
  ct:set_len(r.off - cstart)
  local service, gproc = 0, 0
  if flavor == RPCSEC_GSS and cred and clen >= 16 then
    ct:add(F.gss_vers, cred(0, 4))
    gproc = cred(4, 4):uint()
    ct:add(F.gss_proc, cred(4, 4))
    ct:add(F.gss_seq, cred(8, 4))
    service = cred(12, 4):uint()
    ct:add(F.gss_svc, cred(12, 4))
    tree:add(F.gss_svcn, cred(12, 4), gss_services[service] or tostring(service)):set_generated()
    if clen > 20 then ct:add(F.gss_handle, cred(20, clen - 20)) end
    info(r, "gss=" .. (gss_services[service] or service))
  end
  opaque_auth(r, tree, F.verf, "Verifier")

  local call = calls[key]
  if not r.visited then
    call = { prog = prog, vers = vers, proc = procno, service = service, gproc = gproc,
             frame = pinfo.number }
    calls[key] = call
  end
  if call and call.reply_frame then tree:add(F.reply_in, call.reply_frame) end

  local astart = r.off
  local args = tree:add(wmisim, r.tvb(r.off, 0), "Arguments")
  if flavor == RPCSEC_GSS and gproc ~= 0 then
    -- Context establishment carries a GSS-API token; RPCSEC_GSS_DESTROY carries nothing.
    info(r, gss_procs[gproc] or ("RPCSEC_GSS procedure " .. gproc))
    if gproc == 3 then
      args:set_text("RPCSEC_GSS_DESTROY: the context ends (no arguments)")
      return
    end
    local tok = opaque(r)
    args:set_text(string.format("%s token", gss_procs[gproc] or "RPCSEC_GSS"))
    if tok then args:add(F.gss_token, tok) end
    return
  end
  local decode = function(rr, t)
    if vers == 2 and prog == SERVICE then context(rr, t) end
    if p and p[2] then guarded(rr, t, p[2], call or {}) end
  end
  protected_body(r, args, service, decode)
  args:set_len(r.off - astart)
end

local function dissect_reply(r, tree, pinfo, key)
  local call = calls[key]
  if call then
    local p = (procedures[call.prog] or {})[call.proc]
    local name = p and p[1] or ("procedure " .. call.proc)
    tree:add(F.prog, call.prog):set_generated()
    tree:add(F.vers, call.vers):set_generated()
    tree:add(F.proc, call.proc):set_generated()
    tree:add(F.procedure, name):set_generated()
    tree:add(F.call_in, call.frame)
    if not r.visited then call.reply_frame = pinfo.number end
    info(r, name .. " reply")
    if call.service ~= 0 then
      tree:add(F.gss_svc, call.service):set_generated()
      tree:add(F.gss_svcn, gss_services[call.service] or tostring(call.service)):set_generated()
    end
  else
    info(r, "reply (call not seen)")
  end
  local rs = add_u32(r, tree, F.reply_stat)
  if rs == 1 then
    local rj = add_u32(r, tree, F.reject_stat)
    if rj == 0 then add_u32(r, tree, F.low); add_u32(r, tree, F.high)
    else info(r, auth_stats[add_u32(r, tree, F.auth_stat)] or "AUTH_ERROR") end
    return
  end
  opaque_auth(r, tree, F.verf, "Verifier")
  local as = add_u32(r, tree, F.accept_stat)
  if as == 2 then
    add_u32(r, tree, F.low); add_u32(r, tree, F.high)
  end
  if as ~= 0 then info(r, accept_stats[as] or tostring(as)); return end
  if not call then return end
  local res = tree:add(wmisim, r.tvb(r.off, 0), "Results")
  if call.gproc == 3 then return end
  if call.gproc == 1 or call.gproc == 2 then
    info(r, "rpc_gss_init_res")
    res:set_text("RPCSEC_GSS context establishment (rpc_gss_init_res)")
    local h = opaque(r)
    if h then res:add(F.gss_handle, h) end
    add_u32(r, res, F.gss_major)
    add_u32(r, res, F.gss_minor)
    add_u32(r, res, F.gss_window)
    local tok = opaque(r)
    if tok then res:add(F.gss_token, tok) end
    return
  end
  local p = (procedures[call.prog] or {})[call.proc]
  protected_body(r, res, call.service, function(rr, t)
    if p and p[3] then guarded(rr, t, p[3], call) end
  end)
end

-- One record (its fragments joined) in @rtvb.
local function dissect_record(rtvb, pinfo, tree, whole, nfrags)
  local sub = tree:add(wmisim, whole)
  sub:add(F.record, whole(0, 4), rtvb:len())
  if nfrags > 1 then sub:add(F.fragments, nfrags):set_generated() end
  local src = tostring(pinfo.src) .. ":" .. pinfo.src_port
  local dst = tostring(pinfo.dst) .. ":" .. pinfo.dst_port
  local r = { tvb = rtvb, off = 0, words = {}, visited = pinfo.visited, dst = dst }
  local xid = add_u32(r, sub, F.xid)
  local mt = add_u32(r, sub, F.msgtype)
  local ok, err
  if mt == 0 then
    ok, err = pcall(dissect_call, r, sub, pinfo, src .. ">" .. dst .. "#" .. xid)
  else
    ok, err = pcall(dissect_reply, r, sub, pinfo, dst .. ">" .. src .. "#" .. xid)
  end
  if not ok then
    sub:add_proto_expert_info(ef_malformed, tostring(err))
    r.words[#r.words + 1] = "[malformed]"
  end
  local text = (mt == 0 and "Call " or "Reply ") .. table.concat(r.words, " ")
  sub:append_text(", " .. text)
  return text
end

-- Other programs to read as ONC RPC with this dissector (the RPC layer only: their
-- procedures have no names here), e.g. a test's program: -o wmisim.programs:0x2FFFFF01.
wmisim.prefs.programs = Pref.string("Other programs", "",
  "Comma-separated ONC RPC program numbers (0x... or decimal) to dissect as well: the RPC header, the credential and the RPCSEC_GSS service")

local function is_ours(prog)
  if program_names[prog] ~= nil then return true end
  for n in string.gmatch(wmisim.prefs.programs, "[^,%s]+") do
    if tonumber(n) == prog then return true end
  end
  return false
end

function wmisim.dissector(tvb, pinfo, tree)
  local len = tvb:len()
  local off = 0
  local texts = {}
  while off < len do
    local pos, frags = off, {}
    repeat
      if len - pos < 4 then
        pinfo.desegment_offset = off
        pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
        return len
      end
      local mark = tvb(pos, 4):uint()
      local last = mark >= 0x80000000
      local flen = mark % 0x80000000
      if len - pos - 4 < flen then
        pinfo.desegment_offset = off
        pinfo.desegment_len = #frags == 0 and last and (flen - (len - pos - 4)) or DESEGMENT_ONE_MORE_SEGMENT
        return len
      end
      frags[#frags + 1] = { pos + 4, flen }
      pos = pos + 4 + flen
    until last
    local rtvb
    if #frags == 1 then
      rtvb = tvb(frags[1][1], frags[1][2]):tvb()
    else
      local ba = ByteArray.new()
      for _, f in ipairs(frags) do ba:append(tvb(f[1], f[2]):bytes()) end
      rtvb = ba:tvb("wmisim record")
    end
    texts[#texts + 1] = dissect_record(rtvb, pinfo, tree, tvb(off, pos - off), #frags)
    off = pos
  end
  pinfo.cols.protocol = "WMISIM"
  pinfo.cols.info:set(table.concat(texts, "; "))
  return off
end

-- A TCP segment that starts a record holding a call of one of our programs, or the reply
-- to a call seen: the conversation is ours from then on.
local function heuristic(tvb, pinfo, tree)
  if tvb:len() < 12 then return false end
  local mark = tvb(0, 4):uint() % 0x80000000
  if mark < 8 then return false end
  local xid, mt = tvb(4, 4):uint(), tvb(8, 4):uint()
  if mt == 0 then
    if tvb:len() < 24 or tvb(12, 4):uint() ~= 2 or not is_ours(tvb(16, 4):uint()) then return false end
  elseif mt == 1 then
    local key = tostring(pinfo.dst) .. ":" .. pinfo.dst_port .. ">" .. tostring(pinfo.src) .. ":"
                .. pinfo.src_port .. "#" .. xid
    if calls[key] == nil then return false end
  else
    return false
  end
  pinfo.conversation = wmisim
  wmisim.dissector(tvb, pinfo, tree)
  return true
end

wmisim:register_heuristic("tcp", heuristic)
