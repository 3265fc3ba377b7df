/* wsim-wbem.h: WMI's flags and status kinds, with Microsoft's names and values
 * (wbemcli.idl), so that a user who knows WMI recognises every constant. */
#pragma once

/* WBEM_GENERIC_FLAG_TYPE */
#define WBEM_FLAG_RETURN_WBEM_COMPLETE   0x0
#define WBEM_FLAG_BIDIRECTIONAL          0x0
#define WBEM_FLAG_RETURN_IMMEDIATELY     0x10
#define WBEM_FLAG_FORWARD_ONLY           0x20
#define WBEM_FLAG_NO_ERROR_OBJECT        0x40
#define WBEM_FLAG_SEND_STATUS            0x80
#define WBEM_FLAG_ENSURE_LOCATABLE       0x100
#define WBEM_FLAG_DIRECT_READ            0x200
#define WBEM_FLAG_USE_AMENDED_QUALIFIERS 0x20000
#define WBEM_FLAG_STRONG_VALIDATION      0x100000

/* WBEM_QUERY_FLAG_TYPE */
#define WBEM_FLAG_DEEP                   0x0
#define WBEM_FLAG_SHALLOW                0x1
#define WBEM_FLAG_PROTOTYPE              0x2

/* WBEM_STATUS_TYPE: the lFlags of IWbemObjectSink::SetStatus (values, not bits) */
#define WBEM_STATUS_COMPLETE             0
#define WBEM_STATUS_REQUIREMENTS         1
#define WBEM_STATUS_PROGRESS             2

/* The flags each *Async method accepts; any other bit is WBEM_E_INVALID_PARAMETER. */
#define WSIM_CREATE_INSTANCE_ENUM_FLAGS                                                      \
  (WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_SHALLOW | WBEM_FLAG_SEND_STATUS              \
   | WBEM_FLAG_DIRECT_READ)
#define WSIM_EXEC_QUERY_FLAGS                                                                \
  (WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_SEND_STATUS | WBEM_FLAG_ENSURE_LOCATABLE     \
   | WBEM_FLAG_PROTOTYPE | WBEM_FLAG_DIRECT_READ)
#define WSIM_GET_OBJECT_FLAGS                                                                \
  (WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_SEND_STATUS | WBEM_FLAG_DIRECT_READ)

/* CreateClassEnumAsync: AMENDED, DEEP/SHALLOW, SEND_STATUS (MS-WMI 3.1.4.3.11). */
#define WSIM_CREATE_CLASS_ENUM_FLAGS                                                         \
  (WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_SHALLOW | WBEM_FLAG_SEND_STATUS)

/* PutClassAsync (MS-WMI 3.1.4.3.7): the change flags, SEND_STATUS, USE_AMENDED_QUALIFIERS
 * (UPDATE_SAFE_MODE and UPDATE_FORCE_MODE are not served). DeleteClassAsync (MS-WMI
 * 3.1.4.3.9): SEND_STATUS. */
#define WSIM_PUT_CLASS_FLAGS                                                                 \
  (WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_SEND_STATUS                     \
   | WBEM_FLAG_USE_AMENDED_QUALIFIERS)
#define WSIM_DELETE_CLASS_FLAGS          WBEM_FLAG_SEND_STATUS

/* ExecMethodAsync: WBEM_FLAG_SEND_STATUS only (MS-WMI 3.1.4.3.23). */
#define WSIM_EXEC_METHOD_FLAGS           WBEM_FLAG_SEND_STATUS

/* WBEM_CHANGE_FLAG_TYPE (wbemcli.h): what PutInstanceAsync may do. UPDATE_ONLY and
 * CREATE_ONLY together are not a valid combination. */
#define WBEM_FLAG_CREATE_OR_UPDATE       0x0
#define WBEM_FLAG_UPDATE_ONLY            0x1
#define WBEM_FLAG_CREATE_ONLY            0x2

/* PutInstanceAsync (MS-WMI 3.1.4.3.13): the change flags, SEND_STATUS, USE_AMENDED_QUALIFIERS.
 * DeleteInstanceAsync (MS-WMI 3.1.4.3.15): SEND_STATUS only. */
#define WSIM_PUT_INSTANCE_FLAGS                                                              \
  (WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_SEND_STATUS                     \
   | WBEM_FLAG_USE_AMENDED_QUALIFIERS)
#define WSIM_DELETE_INSTANCE_FLAGS       WBEM_FLAG_SEND_STATUS
