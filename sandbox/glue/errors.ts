// Glue's errors as the API returns them: the exception names and messages callers match on.
import { ServiceError } from '../errors';

export const glueErrors = {
  databaseNotFound: (name: string): ServiceError => new ServiceError('EntityNotFoundException', 400, `Database ${name} not found.`),
  tableNotFound: (_database: string, table: string): ServiceError =>
    new ServiceError('EntityNotFoundException', 400, `Table ${table} not found.`),
  databaseExists: (): ServiceError => new ServiceError('AlreadyExistsException', 400, 'Database already exists.'),
  tableExists: (): ServiceError => new ServiceError('AlreadyExistsException', 400, 'Table already exists.'),
  invalidInput: (message: string): ServiceError => new ServiceError('InvalidInputException', 400, message),
};
