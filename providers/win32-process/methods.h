/* methods.h: Win32_Process's methods (Create, Terminate), for provider.c's table. */
#pragma once

#include "wsim-provider.h"

#define WSIM_PROCESS_N_METHODS 2

/* The methods Win32_Process declares: Create, Terminate. */
extern const WsimProvMethod wsim_process_methods[WSIM_PROCESS_N_METHODS];

/* exec_method() of the Win32_Process provider. */
void wsim_process_exec_method (void *state, WsimProvContext *ctx, const char *class_name,
                               const char *method_name, const WsimProvKey *keys, size_t n_keys,
                               const WsimProvInstance *in_params);
