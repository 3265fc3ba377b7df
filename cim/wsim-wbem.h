/**
 * SECTION:wsim-wbem
 * @title: wsim-wbem.h
 * @short_description: WMI's flags and status kinds
 *
 * With Microsoft's names and values (wbemcli.idl), so that a user who knows WMI recognises
 * every constant.
 */
#pragma once

/* WBEM_GENERIC_FLAG_TYPE */
/**
 * WBEM_FLAG_RETURN_WBEM_COMPLETE:
 *
 * A semisynchronous or synchronous call returns once the call is complete.
 */
#define WBEM_FLAG_RETURN_WBEM_COMPLETE   0x0
/**
 * WBEM_FLAG_BIDIRECTIONAL:
 *
 * The enumerator keeps what it returned (the default; see WBEM_FLAG_FORWARD_ONLY).
 */
#define WBEM_FLAG_BIDIRECTIONAL          0x0
/**
 * WBEM_FLAG_RETURN_IMMEDIATELY:
 *
 * A semisynchronous call: return an enumerator at once, before the results.
 */
#define WBEM_FLAG_RETURN_IMMEDIATELY     0x10
/**
 * WBEM_FLAG_FORWARD_ONLY:
 *
 * A forward-only enumerator: it frees what it returned.
 */
#define WBEM_FLAG_FORWARD_ONLY           0x20
/**
 * WBEM_FLAG_NO_ERROR_OBJECT:
 *
 * No error object on a failure.
 */
#define WBEM_FLAG_NO_ERROR_OBJECT        0x40
/**
 * WBEM_FLAG_SEND_STATUS:
 *
 * The sink also receives the progress of the call (SetStatus with WBEM_STATUS_PROGRESS).
 */
#define WBEM_FLAG_SEND_STATUS            0x80
/**
 * WBEM_FLAG_ENSURE_LOCATABLE:
 *
 * The results carry their keys (and so their paths), whatever else the query selects.
 */
#define WBEM_FLAG_ENSURE_LOCATABLE       0x100
/**
 * WBEM_FLAG_DIRECT_READ:
 *
 * Only the class's own provider, not its subclasses'.
 */
#define WBEM_FLAG_DIRECT_READ            0x200
/**
 * WBEM_FLAG_USE_AMENDED_QUALIFIERS:
 *
 * Amended (localizable) qualifiers too.
 */
#define WBEM_FLAG_USE_AMENDED_QUALIFIERS 0x20000
/**
 * WBEM_FLAG_STRONG_VALIDATION:
 *
 * Strict validation of the call's arguments.
 */
#define WBEM_FLAG_STRONG_VALIDATION      0x100000

/* WBEM_QUERY_FLAG_TYPE */
/**
 * WBEM_FLAG_DEEP:
 *
 * The class and every subclass, at any depth.
 */
#define WBEM_FLAG_DEEP                   0x0
/**
 * WBEM_FLAG_SHALLOW:
 *
 * The class itself (an enumeration) or the immediate subclasses (a class enumeration).
 */
#define WBEM_FLAG_SHALLOW                0x1
/**
 * WBEM_FLAG_PROTOTYPE:
 *
 * A query's prototype: the class its results would have, not the results.
 */
#define WBEM_FLAG_PROTOTYPE              0x2

/* WBEM_STATUS_TYPE: the lFlags of IWbemObjectSink::SetStatus (values, not bits) */
/**
 * WBEM_STATUS_COMPLETE:
 *
 * The final SetStatus of a call: nothing follows it.
 */
#define WBEM_STATUS_COMPLETE             0
/**
 * WBEM_STATUS_REQUIREMENTS:
 *
 * A SetStatus about the call's requirements (WMI's events).
 */
#define WBEM_STATUS_REQUIREMENTS         1
/**
 * WBEM_STATUS_PROGRESS:
 *
 * A progress SetStatus: its hResult is MAKELONG(done, total).
 */
#define WBEM_STATUS_PROGRESS             2

/* The flags each *Async method accepts; any other bit is WBEM_E_INVALID_PARAMETER. */
/**
 * WSIM_CREATE_INSTANCE_ENUM_FLAGS:
 *
 * The flags CreateInstanceEnumAsync accepts; any other bit is WBEM_E_INVALID_PARAMETER.
 */
#define WSIM_CREATE_INSTANCE_ENUM_FLAGS                                                      \
  (WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_SHALLOW | WBEM_FLAG_SEND_STATUS              \
   | WBEM_FLAG_DIRECT_READ)
/**
 * WSIM_EXEC_QUERY_FLAGS:
 *
 * The flags ExecQueryAsync accepts; any other bit is WBEM_E_INVALID_PARAMETER.
 */
#define WSIM_EXEC_QUERY_FLAGS                                                                \
  (WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_SEND_STATUS | WBEM_FLAG_ENSURE_LOCATABLE     \
   | WBEM_FLAG_PROTOTYPE | WBEM_FLAG_DIRECT_READ)
/**
 * WSIM_GET_OBJECT_FLAGS:
 *
 * The flags GetObjectAsync accepts; any other bit is WBEM_E_INVALID_PARAMETER.
 */
#define WSIM_GET_OBJECT_FLAGS                                                                \
  (WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_SEND_STATUS | WBEM_FLAG_DIRECT_READ)

/* CreateClassEnumAsync: AMENDED, DEEP/SHALLOW, SEND_STATUS (MS-WMI 3.1.4.3.11). */
/**
 * WSIM_CREATE_CLASS_ENUM_FLAGS:
 *
 * The flags CreateClassEnumAsync accepts: AMENDED, DEEP/SHALLOW, SEND_STATUS (MS-WMI 3.1.4.3.11).
 */
#define WSIM_CREATE_CLASS_ENUM_FLAGS                                                         \
  (WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_SHALLOW | WBEM_FLAG_SEND_STATUS)

/* PutClassAsync (MS-WMI 3.1.4.3.7): the change flags, SEND_STATUS, USE_AMENDED_QUALIFIERS
 * (UPDATE_SAFE_MODE and UPDATE_FORCE_MODE are not served). DeleteClassAsync (MS-WMI
 * 3.1.4.3.9): SEND_STATUS. */
/**
 * WSIM_PUT_CLASS_FLAGS:
 *
 * The flags PutClassAsync accepts (MS-WMI 3.1.4.3.7): the change flags, SEND_STATUS,
 * USE_AMENDED_QUALIFIERS (UPDATE_SAFE_MODE and UPDATE_FORCE_MODE are not served).
 */
#define WSIM_PUT_CLASS_FLAGS                                                                 \
  (WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_SEND_STATUS                     \
   | WBEM_FLAG_USE_AMENDED_QUALIFIERS)
/**
 * WSIM_DELETE_CLASS_FLAGS:
 *
 * The flags DeleteClassAsync accepts (MS-WMI 3.1.4.3.9): SEND_STATUS.
 */
#define WSIM_DELETE_CLASS_FLAGS          WBEM_FLAG_SEND_STATUS

/* ExecMethodAsync: WBEM_FLAG_SEND_STATUS only (MS-WMI 3.1.4.3.23). */
/**
 * WSIM_EXEC_METHOD_FLAGS:
 *
 * The flags ExecMethodAsync accepts: WBEM_FLAG_SEND_STATUS only (MS-WMI 3.1.4.3.23).
 */
#define WSIM_EXEC_METHOD_FLAGS           WBEM_FLAG_SEND_STATUS

/* WBEM_CHANGE_FLAG_TYPE (wbemcli.h): what PutInstanceAsync may do. UPDATE_ONLY and
 * CREATE_ONLY together are not a valid combination. */
/**
 * WBEM_FLAG_CREATE_OR_UPDATE:
 *
 * PutInstanceAsync and PutClassAsync create the object or replace it.
 */
#define WBEM_FLAG_CREATE_OR_UPDATE       0x0
/**
 * WBEM_FLAG_UPDATE_ONLY:
 *
 * Replace an existing object only (WBEM_E_NOT_FOUND otherwise).
 */
#define WBEM_FLAG_UPDATE_ONLY            0x1
/**
 * WBEM_FLAG_CREATE_ONLY:
 *
 * Create a new object only (WBEM_E_ALREADY_EXISTS otherwise).
 */
#define WBEM_FLAG_CREATE_ONLY            0x2

/* PutInstanceAsync (MS-WMI 3.1.4.3.13): the change flags, SEND_STATUS, USE_AMENDED_QUALIFIERS.
 * DeleteInstanceAsync (MS-WMI 3.1.4.3.15): SEND_STATUS only. */
/**
 * WSIM_PUT_INSTANCE_FLAGS:
 *
 * The flags PutInstanceAsync accepts (MS-WMI 3.1.4.3.13): the change flags, SEND_STATUS,
 * USE_AMENDED_QUALIFIERS.
 */
#define WSIM_PUT_INSTANCE_FLAGS                                                              \
  (WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_SEND_STATUS                     \
   | WBEM_FLAG_USE_AMENDED_QUALIFIERS)
/**
 * WSIM_DELETE_INSTANCE_FLAGS:
 *
 * The flags DeleteInstanceAsync accepts (MS-WMI 3.1.4.3.15): SEND_STATUS only.
 */
#define WSIM_DELETE_INSTANCE_FLAGS       WBEM_FLAG_SEND_STATUS
